/** The modifier a person presses for the studio's shortcuts: ⌘ on Apple systems, Ctrl elsewhere. */
export const MOD = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
