import { defaultProfile, type Profile, type ProfileOption } from '../model';
import type { UseOption } from './encode';

const noneExplicit: ReadonlySet<string> = new Set();

/** The profile in force, and a recorder of the options whose defaults (not the caller's choice) shaped output. */
export class ProfileUse {
  readonly profile: Profile;
  /** In the order first used; a short list (a render touches a handful of options). Speed: docs/performance.md#engine */
  readonly assumed: ProfileOption[] = [];
  private readonly explicit: ReadonlySet<string>;
  constructor(partial: Partial<Profile> | undefined) {
    // Without a profile (the usual send), the defaults are shared. Speed: docs/performance.md#engine
    if (partial === undefined) {
      this.profile = defaultProfile;
      this.explicit = noneExplicit;
      return;
    }
    // An option given as undefined (a caller that spreads optional settings) is not given: the default holds.
    const given: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(partial as Record<string, unknown>)) if (v !== undefined) given[k] = v;
    this.profile = { ...defaultProfile, ...(given as Partial<Profile>) };
    this.explicit = new Set(Object.keys(given));
  }
  isAssumed(option: ProfileOption): boolean {
    return !this.explicit.has(option);
  }
  readonly use: UseOption = (option) => {
    if (!this.explicit.has(option) && !this.assumed.includes(option)) this.assumed.push(option);
  };
}
