import type { Exchange } from '@shared/model';
import { useUi } from '../../store/ui-store';

/** The header the studio's catcher adds to tell which of the collection's rules answered (electron/services/studio/catcher-link). */
const ruleHeader = 'x-studio-rule';

/** "Catcher rule 2" on the status line when the built-in catcher answered by one of the collection's rules. */
export function CatcherRuleNote({ exchange }: { exchange: Exchange }) {
  const openDialog = useUi((s) => s.openDialog);
  const rule = exchange.response?.headers.find((h) => h.name.toLowerCase() === ruleHeader)?.value;
  if (rule === undefined || !/^\d+$/.test(rule)) return null;
  return (
    <button
      type="button"
      className="btn ghost small catcher-rule-note"
      data-testid="catcher-rule"
      title="The built-in catcher answered with this rule of catcher.yaml; open Catcher answers"
      onClick={() => openDialog({ kind: 'catcher' })}
    >
      Catcher rule {rule}
    </button>
  );
}
