/** A form's problem in words (an action's refusal), announced to screen readers; nothing when null. */
export function FormAlert({ children }: { children: string | null | undefined }) {
  if (!children) return null;
  return (
    <p role="alert" className="rounded-md bg-red-50 p-2 text-sm text-red-800">
      {children}
    </p>
  );
}
