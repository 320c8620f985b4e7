/**
 * Why a file could not be opened, in words ("no such file", "it is a folder"…), for messages that name the
 * file themselves. One vocabulary for the CLI's inputs, the catcher's rules and the collection's certificates.
 */
export function whyUnreadable(e: unknown): string {
  switch ((e as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EISDIR':
      return 'it is a folder';
    case 'EACCES':
      return 'permission denied';
    case 'ENXIO':
      return 'it is a socket or device, not a regular file';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
