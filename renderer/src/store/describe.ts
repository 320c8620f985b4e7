import { StudioError } from '@shared/model/error';
import { channelNames } from '@shared/contract';

/** What to do when the page lost its host (restarted, stopped, or the session's token is no longer valid). */
const reconnectHint =
  'To reconnect, open in this tab the address that `webhook-studio serve` printed (it carries the token of the running host); unsaved edits are kept in this browser and come back.';

const channels = new Set<string>(channelNames);

/** A validation message that names its channel (`secrets:set: …`) in the user's words: the issues, each with its field. */
function withoutChannel(e: StudioError): string {
  const prefix = /^([a-z]+:[A-Za-z]+): /.exec(e.message);
  if (!prefix || !channels.has(prefix[1] ?? '')) return e.message;
  if (e.issues && e.issues.length > 0)
    return e.issues.map((i) => (i.path === '(input)' ? i.message : `‘${i.path}’: ${i.message}`)).join('; ');
  return e.message.slice(prefix[0].length);
}

/**
 * An error in the user's words: the studio's internal channel names (`secrets:set`) are not, so a
 * `where` naming one is left out and a `channel: ` prefix is cut; a field path is quoted. A lost host
 * adds how to reconnect.
 */
export function describe(e: unknown): string {
  if (e instanceof StudioError) {
    const message = withoutChannel(e);
    const where = e.where && !channels.has(e.where) && !message.includes(e.where) ? e.where : undefined;
    const text = where ? `${message} (${where})` : message;
    return e.code === 'unauthorized' || e.code === 'host-unreachable' ? `${text} ${reconnectHint}` : text;
  }
  return e instanceof Error ? e.message : String(e);
}
