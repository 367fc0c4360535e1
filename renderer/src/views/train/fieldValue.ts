/**
 * v-field-value: an input's value, written only when the bound value changes. A
 * plain :value is written again on every re-render of its component, and a form
 * bound to the project re-renders whenever the project does (a project.changed
 * after an earlier edit, a run's update): what the student was typing in another
 * field was silently put back to the saved value.
 */
import type { Directive } from 'vue';

function text(value: unknown): string {
  return value == null ? '' : String(value);
}

export const vFieldValue: Directive<HTMLInputElement, unknown> = {
  mounted(el, { value }) {
    el.value = text(value);
  },
  updated(el, { value, oldValue }) {
    if (!Object.is(value, oldValue)) el.value = text(value);
  },
};
