import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
};

export type StaticResult =
  { status: 200; body: Buffer; contentType: string } | { status: 400 | 404 | 503; message: string };

/**
 * Resolves a URL path to a file of the built renderer, refusing anything outside its folder. A path
 * without an extension that names no file is a client-side route and gets index.html.
 */
export async function readRendererFile(rendererDir: string, urlPath: string): Promise<StaticResult> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { status: 400, message: 'malformed path' };
  }
  if (decoded.includes('\0') || decoded.includes('\\') || decoded.split('/').includes('..'))
    return { status: 400, message: 'path outside the studio' };
  const root = path.resolve(rendererDir);
  const rel = decoded.replace(/^\/+/, '');
  let file = path.resolve(root, rel);
  if (file !== root && !file.startsWith(root + path.sep)) return { status: 400, message: 'path outside the studio' };
  const index = path.join(root, 'index.html');
  try {
    if ((await stat(file)).isDirectory()) file = path.join(file, 'index.html');
  } catch {
    if (path.extname(rel) !== '') return { status: 404, message: `not found: ${urlPath}` };
    file = index;
  }
  try {
    const body = await readFile(file);
    return {
      status: 200,
      body,
      contentType: contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    };
  } catch {
    if (file === index) return { status: 503, message: 'the studio renderer is not built: run `npm run build`' };
    return { status: 404, message: `not found: ${urlPath}` };
  }
}
