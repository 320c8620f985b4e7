/** `example.com` matches only that host; `*.example.com` any subdomain of it; `host:port` also the port. */
export function hostAllowed(host: string, allowed: string[] | undefined): boolean {
  if (!allowed || allowed.length === 0) return true;
  const [hostname, port] = splitHost(host.toLowerCase());
  return allowed.some((entry) => {
    const [pattern, wantPort] = splitHost(entry.trim().toLowerCase());
    if (wantPort !== undefined && wantPort !== port) return false;
    if (pattern.startsWith('*.')) return hostname.endsWith(pattern.slice(1)) && hostname.length > pattern.length - 1;
    return hostname === pattern;
  });
}

function splitHost(host: string): [string, string | undefined] {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    const rest = host.slice(end + 1);
    return [host.slice(0, end + 1), rest.startsWith(':') ? rest.slice(1) : undefined];
  }
  const cut = host.lastIndexOf(':');
  return cut < 0 ? [host, undefined] : [host.slice(0, cut), host.slice(cut + 1)];
}
