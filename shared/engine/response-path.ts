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

export function walk(tree: unknown, steps: PathStep[], responseType: 'json' | 'xml', pu: ProfileUse): Walk {
  let cur = tree;
  let at = '';
  for (let s = 0; s < steps.length; s++) {
    const step = steps[s] as PathStep;
    if ('key' in step) {
      if (!isObj(cur)) {
        const hint = Array.isArray(cur) ? `; it is an array, so index it first (${at}[0].${step.key})` : '';
        return {
          found: false,
          reason: 'path-not-found',
          message: `${at === '' ? 'the response' : at} is ${describeValue(cur)}, which has no key '${step.key}'${hint}`,
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
        return {
          found: false,
          reason: 'path-not-found',
          message: `${at === '' ? 'the response' : at} has no key '${step.key}'`,
        };
      }
      cur = cur[step.key];
      at = at === '' ? step.key : `${at}.${step.key}`;
    } else {
      if (s === 0 && responseType === 'json') {
        pu.use('jsonRootArray');
        if (pu.profile.jsonRootArray === 'refuse') {
          return {
            found: false,
            reason: 'invalid-path',
            message:
              'the path starts with an index; the profile (jsonRootArray: refuse) does not allow indexing a root-level array',
          };
        }
      }
      if (Array.isArray(cur)) {
        if (step.index >= cur.length)
          return {
            found: false,
            reason: 'path-not-found',
            message: `${at === '' ? 'the response' : at} has ${cur.length} elements; [${step.index}] does not exist`,
          };
        cur = cur[step.index];
      } else if (responseType === 'xml' && step.index === 0 && s > 0) {
        pu.use('xmlSingleElementIndex');
        if (pu.profile.xmlSingleElementIndex === 'bare-only') {
          return {
            found: false,
            reason: 'path-not-found',
            message: `<${at.split('.').pop()}> occurs once, so it is not an array (profile xmlSingleElementIndex: bare-only)`,
          };
        }
      } else {
        return {
          found: false,
          reason: 'path-not-found',
          message: `${at === '' ? 'the response' : at} is ${describeValue(cur)}, not an array; [${step.index}] does not apply`,
        };
      }
      at = `${at}[${step.index}]`;
    }
  }
  return { found: true, value: cur };
}
