import Link from 'next/link';

const LINK =
  'inline-flex min-h-11 items-center self-start text-accent text-sm underline-offset-4 hover:underline';

/** The foot of a shared page: how the score is computed, and Kinetic for the reader's own car. */
export function SharedPageLinks({ how, own }: { how: string; own: string }) {
  return (
    <div className="flex flex-col gap-1">
      <Link href="/methodology" className={LINK}>
        {how}
      </Link>
      <Link href="/login" className={LINK}>
        {own}
      </Link>
    </div>
  );
}
