// English messages of the `errors` namespace: the error pages. The client error boundaries import
// this file and its French twin directly (lib/i18n/error-messages.ts) and fill `{digest}` by hand,
// so keep these few short strings plain: no plurals or other ICU syntax.
export const errors = {
  root: {
    title: 'Something went wrong',
    text: 'Try again in a moment.',
  },
  dashboard: {
    title: 'This page could not be loaded',
    text: 'Something went wrong on our side. Your data is safe; try again.',
  },
  global: {
    title: 'Kinetic could not load',
    text: 'Something went wrong on our side. Try again in a moment.',
  },
  notFound: {
    title: 'Not found',
    text: 'There is nothing here, or it is not yours to see.',
    home: 'Go to your overview',
  },
  reference: 'Reference: {digest}',
  retry: 'Try again',
};
