import { defaultProfile, type Profile, type ProfileOption } from '../model';

const noneExplicit: ReadonlySet<string> = new Set();

/** A partial profile merged over the defaults, and the options it gives (not undefined). */
interface MergedProfile {
  profile: Profile;
  explicit: ReadonlySet<string>;
  given: Record<string, unknown>;
}

/**
 * The merge of each partial profile a caller passes, kept while the caller holds the object (a run
 * renders every lead with the same one). Checked against the object's current options on each use,
 * so a caller that changes an option in place gets a fresh merge. Speed: docs/performance.md#engine
 */
const merged = new WeakMap<Partial<Profile>, MergedProfile>();

/** Whether `partial` still gives exactly the options `given` recorded. */
function sameOptions(partial: Partial<Profile>, given: Record<string, unknown>, count: number): boolean {
  const options = partial as Record<string, unknown>;
  let n = 0;
  for (const k in options) {
    if (!Object.prototype.hasOwnProperty.call(options, k)) continue;
    const v = options[k];
    if (v === undefined) continue;
    if (given[k] !== v || !Object.prototype.hasOwnProperty.call(given, k)) return false;
    n++;
  }
  return n === count;
}

/** A profile that gives no option (`{}`, or every option undefined): the defaults, shared like no profile at all. */
const noOptions: MergedProfile = { profile: defaultProfile, explicit: noneExplicit, given: {} };

function givesNothing(partial: Partial<Profile>): boolean {
  const options = partial as Record<string, unknown>;
  for (const k in options)
    if (Object.prototype.hasOwnProperty.call(options, k) && options[k] !== undefined) return false;
  return true;
}

function mergeProfile(partial: Partial<Profile>): MergedProfile {
  if (givesNothing(partial)) return noOptions;
  const known = merged.get(partial);
  if (known !== undefined && sameOptions(partial, known.given, known.explicit.size)) return known;
  // An option given as undefined (a caller that spreads optional settings) is not given: the default holds.
  const given: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(partial as Record<string, unknown>)) if (v !== undefined) given[k] = v;
  const made: MergedProfile = {
    profile: { ...defaultProfile, ...(given as Partial<Profile>) },
    explicit: new Set(Object.keys(given)),
    given,
  };
  merged.set(partial, made);
  return made;
}

/**
 * A partial profile over the defaults; the same object for the same options (shared: never change it).
 * Speed: docs/performance.md#engine (a run merges the same options for every lead).
 */
export function profileWithDefaults(partial: Partial<Profile> | undefined): Profile {
  return partial === undefined ? defaultProfile : mergeProfile(partial).profile;
}

/** The profile in force, and a recorder of the options whose defaults (not the caller's choice) shaped output. */
export class ProfileUse {
  readonly profile: Profile;
  /** In the order first used; a short list (a render touches a handful of options). Speed: docs/performance.md#engine */
  readonly assumed: ProfileOption[] = [];
  private readonly explicit: ReadonlySet<string>;
  constructor(partial: Partial<Profile> | undefined) {
    // Without a profile (the usual send), the defaults are shared; a merged profile is shared too (nothing
    // changes one once made, and it is never the caller's object). Speed: docs/performance.md#engine
    const m = partial === undefined ? noOptions : mergeProfile(partial);
    this.profile = m.profile;
    this.explicit = m.explicit;
  }
  isAssumed(option: ProfileOption): boolean {
    return !this.explicit.has(option);
  }
  /** Records that `option` shaped the output (a method, not a closure per render). */
  use(option: ProfileOption): void {
    if (!this.explicit.has(option) && !this.assumed.includes(option)) this.assumed.push(option);
  }
}
