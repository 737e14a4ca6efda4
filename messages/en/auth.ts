// English messages of the `auth` namespace: sign-in and sign-up pages and their server actions
// (ICU message syntax, see next-intl). The wording is what the e2e tests look for: keep it.
export const auth = {
  login: {
    metaTitle: 'Sign in',
    title: 'Sign in',
    tagline: 'See your car, your trips and how you drive.',
    failed: 'Sign-in did not work. Try again.',
    makerIntro: 'Or sign in with your car maker’s account:',
    demoIntro: 'No account? Look around with a demo owner and two Peugeot cars.',
    newHere: 'New to Kinetic?',
    createAccount: 'Create an account',
  },
  signup: {
    metaTitle: 'Create an account',
    title: 'Create your account',
    tagline: 'Then connect your car to see its data here.',
    haveAccount: 'Already have an account?',
    signIn: 'Sign in',
  },
  form: {
    email: 'E-mail',
    password: 'Password',
    name: 'Name (optional)',
    passwordHint: '{min} to {max} characters. A few unrelated words make a strong one.',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    createAccount: 'Create account',
    creating: 'Creating your account…',
  },
  demo: {
    button: 'Try the demo',
    opening: 'Opening the demo…',
  },
  errors: {
    wrongCredentials: 'That e-mail and password do not match an account.',
    throttled: 'Too many attempts. Wait a minute, then try again.',
    emailTaken: 'An account already uses this e-mail address. Sign in instead.',
    signUpThrottled: 'Too many sign-ups from this network. Try again later.',
  },
  /** The sign-up checks of lib/auth (accounts.ts, password.ts), in the owner's language. */
  validation: {
    emailMissing: 'Enter your e-mail address.',
    emailTooLong: 'That e-mail address is too long.',
    emailInvalid: 'Enter a valid e-mail address.',
    emailSimulated: 'This address is reserved for simulated drivers.',
    emailMaker: 'This address is reserved for accounts signed in with a car maker.',
    passwordMissing: 'Enter a password.',
    passwordCommon: 'This password is one of the most common ones: choose another.',
    tooShort: 'Use at least {min} characters.',
    tooLong: 'Use at most {max} characters.',
  },
};
