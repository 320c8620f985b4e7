import { api } from '../../api';

/** The reports `runner:report` opens (the same fixed list the channel accepts). */
export const reportFiles = ['summary.json', 'report.html', 'junit.xml', 'lead-updates.csv'];

/**
 * The report opens from a blob URL, which shares the studio page's origin: a policy that allows no
 * script keeps anything in a lead or an answer from acting as the studio. Styles stay (inline in the report).
 */
export function withoutScripts(html: string): string {
  const policy = `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`;
  const doctype = /^\s*<!doctype[^>]*>/i.exec(html);
  return doctype ? `${doctype[0]}${policy}${html.slice(doctype[0].length)}` : `${policy}${html}`;
}

/** Opens a run's report: the HTML one in a new tab, the others as a download. */
export async function openReport(dir: string, runId: string, name: string): Promise<void> {
  const report = await api.runner.report({ dir, runId, name });
  const html = report.mediaType === 'text/html';
  const blob = new Blob([html ? withoutScripts(report.content) : report.content], {
    type: `${report.mediaType};charset=utf-8`,
  });
  const url = URL.createObjectURL(blob);
  if (html) window.open(url, '_blank', 'noopener');
  else {
    // The others download under the run's name, to open in the tool they are for (a CI viewer, a spreadsheet).
    const a = document.createElement('a');
    a.href = url;
    a.download = `${runId}-${name}`;
    document.body.append(a);
    a.click();
    a.remove();
  }
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
