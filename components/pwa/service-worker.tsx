import { serviceWorkerVersion } from '@/lib/settings/build-id';
import { ServiceWorkerRegistration } from './service-worker-registration';

/** The service worker, registered in production builds only. Mount once in the root layout. */
export function ServiceWorker() {
  const version = serviceWorkerVersion();
  return version ? <ServiceWorkerRegistration version={version} /> : null;
}
