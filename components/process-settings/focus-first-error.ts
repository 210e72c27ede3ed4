import type { RefObject } from "react";

/**
 * Moves the focus to the form's first invalid field once it can take it: Advanced Settings and the
 * callbacks may still be loading, and a collapsed callback block is opened first (once) through its
 * heading button.
 */
export function focusFirstError(formRef: RefObject<HTMLFormElement | null>) {
  const opened = new Set<string>();
  let frames = 0;
  const focus = () => {
    const form = formRef.current;
    const target = form?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const collapsed = target?.closest<HTMLElement>("[data-callback-body][hidden]");
    if (form && collapsed && !opened.has(collapsed.id)) {
      opened.add(collapsed.id);
      form.querySelector<HTMLElement>(`[aria-controls="${collapsed.id}"]`)?.click();
    } else if (target && !target.closest("[hidden]")) {
      target.focus();
      return;
    }
    if (++frames < 300) requestAnimationFrame(focus);
  };
  requestAnimationFrame(() => requestAnimationFrame(focus));
}
