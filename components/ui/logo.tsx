export function Logo({ withName = true }: { withName?: boolean }) {
  return (
    <span className="inline-flex items-center gap-2 font-semibold text-fg">
      <svg aria-hidden="true" viewBox="0 0 64 64" className="size-7">
        <rect width="64" height="64" rx="14" className="fill-accent" />
        <path
          d="M14 42a18 18 0 1 1 36 0"
          fill="none"
          className="stroke-accent-fg"
          strokeWidth="5"
          strokeLinecap="round"
        />
        <path d="M32 42l9-13" className="stroke-accent-fg" strokeWidth="5" strokeLinecap="round" />
      </svg>
      {withName ? <span className="text-lg tracking-tight">Kinetic</span> : null}
    </span>
  );
}
