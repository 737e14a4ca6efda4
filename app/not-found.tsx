import Link from 'next/link';
import { buttonClasses } from '@/components/ui/button';

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-[60dvh] max-w-md flex-col items-start justify-center gap-4 px-4">
      <h1 className="font-semibold text-2xl tracking-tight">Not found</h1>
      <p className="text-muted">There is nothing here, or it is not yours to see.</p>
      <Link href="/" className={buttonClasses('primary')}>
        Go to your overview
      </Link>
    </main>
  );
}
