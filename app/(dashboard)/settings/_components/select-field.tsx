import type { SelectHTMLAttributes } from 'react';
import { cn } from '@/lib/cn';

type SelectFieldProps = SelectHTMLAttributes<HTMLSelectElement> & {
  id: string;
  label: string;
  options: readonly { value: string; label: string }[];
};

/** A labelled native select: the phone's own picker, 44 px tall. */
export function SelectField({ id, label, options, className, ...props }: SelectFieldProps) {
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="font-medium text-fg text-sm">
        {label}
      </label>
      <select
        id={id}
        className={cn(
          'min-h-11 w-full rounded-lg border border-border bg-surface px-3 py-2 text-base text-fg',
          className,
        )}
        {...props}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
