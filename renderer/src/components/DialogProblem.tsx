/** Why a dialog's value cannot be submitted, said as it is typed (an empty live region when it can). */
export function DialogProblem({ id, problem }: { id: string; problem: string | undefined }) {
  return (
    <p id={id} className="dialog-problem" role="status" aria-live="polite">
      {problem ?? ''}
    </p>
  );
}
