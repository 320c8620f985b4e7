import type { PathStep } from './mapping-path';
import type { ProfileUse } from './profile-use';
import { isObj } from './response-tree';

export type Walk =
  { found: true; value: unknown } | { found: false; reason: 'path-not-found' | 'invalid-path'; message: string };

export function describeValue(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (isObj(v)) return 'an object';
  // JSON.stringify gives no text for undefined.
  return v === undefined ? 'undefined' : JSON.stringify(v);
}

/** The path up to (not including) step `end`, as the messages name it: `a.b[0].c`. */
function pathText(steps: PathStep[], end: number): string {
  let at = '';
  for (let s = 0; s < end; s++) {
    const step = steps[s] as PathStep;
    at = 'key' in step ? (at === '' ? step.key : `${at}.${step.key}`) : `${at}[${step.index}]`;
  }
  return at;
}

/** `the response` for the root, else the path so far. */
function place(steps: PathStep[], end: number): string {
  const at = pathText(steps, end);
  return at === '' ? 'the response' : at;
}

// The path so far is spelled out only for a message: a walk that finds its value builds no text.
// Speed: docs/performance.md#engine
export function walk(tree: unknown, steps: PathStep[], responseType: 'json' | 'xml', pu: ProfileUse): Walk {
  let cur = tree;
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as PathStep;
    if ('key' in step) {
      if (!isObj(cur)) {
        const hint = Array.isArray(cur)
          ? `; it is an array, so index it first (${pathText(steps, s)}[0].${step.key})`
          : '';
        return {
          found: false,
          reason: 'path-not-found',
          message: `${place(steps, s)} is ${describeValue(cur)}, which has no key '${step.key}'${hint}`,
        };
      }
      if (!Object.prototype.hasOwnProperty.call(cur, step.key)) {
        if (s === 0 && responseType === 'xml') {
          const root = Object.keys(cur)[0] ?? '';
          return {
            found: false,
            reason: 'path-not-found',
            message: `an XML path starts with the root element: '${root}', not '${step.key}' (try ${root}.${step.key})`,
          };
        }
        return { found: false, reason: 'path-not-found', message: `${place(steps, s)} has no key '${step.key}'` };
      }
      cur = cur[step.key];
    } else {
      const refused = s === 0 && responseType === 'json' ? rootIndexRefused(pu) : undefined;
      if (refused !== undefined) return refused;
      if (Array.isArray(cur)) {
        if (step.index >= cur.length)
          return {
            found: false,
            reason: 'path-not-found',
            message: `${place(steps, s)} has ${cur.length} elements; [${step.index}] does not exist`,
          };
        cur = cur[step.index];
      } else if (responseType === 'xml' && step.index === 0 && s > 0) {
        pu.use('xmlSingleElementIndex');
        if (pu.profile.xmlSingleElementIndex === 'bare-only') {
          return {
            found: false,
            reason: 'path-not-found',
            message: `<${pathText(steps, s).split('.').pop()}> occurs once, so it is not an array (profile xmlSingleElementIndex: bare-only)`,
          };
        }
      } else {
        return {
          found: false,
          reason: 'path-not-found',
          message: `${place(steps, s)} is ${describeValue(cur)}, not an array; [${step.index}] does not apply`,
        };
      }
    }
  }
  return { found: true, value: cur };
}

/** A path that starts with an index, under a profile that does not allow indexing a root-level array. */
function rootIndexRefused(pu: ProfileUse): Walk | undefined {
  pu.use('jsonRootArray');
  if (pu.profile.jsonRootArray !== 'refuse') return undefined;
  return {
    found: false,
    reason: 'invalid-path',
    message:
      'the path starts with an index; the profile (jsonRootArray: refuse) does not allow indexing a root-level array',
  };
}
