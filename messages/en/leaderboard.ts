// English messages of the `leaderboard` namespace: the boards, joining them, private groups and invites.
export const leaderboard = {
  title: 'Leaderboard',
  intro: 'Where {vehicle} stands over the last 30 days, and who else chose to be listed.',
  boards: 'Boards',
  board: {
    peer: 'Peer group',
    model: 'Model',
    everyone: 'Everyone',
  },
  titles: {
    model: '{brand} {model} drivers',
    everyone: 'Every Kinetic driver',
  },
  summary:
    '{ranked, plural, =0 {No car ranked yet} one {# car ranked} other {# cars ranked}} · {participants, plural, =0 {nobody listed} one {# listed} other {# listed}}',
  groupSummary:
    '{participants, plural, one {# member} other {# members}} · {ranked, plural, =0 {none ranked yet} one {# ranked} other {# ranked}}',
  me: 'You: {rank} of {ranked}, better than {percentile}% of them.',
  meUnranked: 'Your car is not ranked yet: it needs 100 km and 5 rated trips in the last 30 days.',
  peersLoading:
    'Kinetic is still bringing other drivers in ({synced} of {total} so far): places move until they are all here.',
  rank: 'Rank',
  driver: 'Driver',
  score: 'Score',
  you: 'you',
  unpublished:
    'Listed drivers appear once at least {min} have joined this board ({participants} so far), so that no one can be singled out.',
  empty: 'No listed driver is ranked on this board yet.',
  previous: 'Previous',
  next: 'Next',
  ranksNote: 'Ranks count every ranked car, listed or not; ties share the better place.',
  listing: {
    title: 'Your place on the public boards',
    off: 'Your car is ranked on every board, but nobody sees it there unless you join: then your pseudonym and score appear on the peer group, model and everyone boards. You can leave at any time, at once.',
    on: 'Listed as {pseudonym} on the peer group, model and everyone boards.',
    join: 'Join the public boards',
    leave: 'Leave the public boards',
    renew: 'New pseudonym',
  },
  groups: {
    title: 'Private groups',
    intro:
      'A group for family, friends or a company: members see each other’s pseudonyms and scores; anyone else sees nothing until the group has {min} members.',
    none: 'This car is in no group yet.',
    members: '{members, plural, one {# member} other {# members}}',
    as: 'as {pseudonym}',
    open: 'Open',
    leave: 'Leave',
    leaveLabel: 'Leave the group {name}',
    renew: 'New invite link',
    renewLabel: 'Make a new invite link for {name}',
    create: 'Create a group',
    name: 'Group name',
    creating: 'Creating…',
    invite: 'Invite link — it is shown only now, so copy it and send it to the people you invite:',
    renewed: 'New invite link for {name} — the old one no longer works:',
    nameInvalid: 'Give the group a name of 1 to {max} characters.',
    limit: 'This car is already in {max} groups: leave one first.',
    copy: 'Copy',
    copied: 'Copied',
    failed: 'That did not work. Try again.',
  },
  share: {
    title: 'Share this board',
    intro:
      'Anyone with the link sees this board’s first page: pseudonyms, ranks and 30-day scores of the listed drivers (none below {min}), never a VIN, a place, a time or a speed.',
  },
  shared: {
    title: 'A Kinetic leaderboard: {board}',
    description: 'Pseudonyms and driving scores over the last 30 days, ranked.',
    period: 'Last 30 days · pseudonyms only',
    how: 'How the score is computed',
    own: 'Score your own driving with Kinetic',
  },
  join: {
    title: 'Join {name}',
    intro:
      'A private group on Kinetic with {members, plural, one {# member} other {# members}}. Members see each other’s pseudonyms and 30-day scores; you can leave at any time.',
    car: 'Join with',
    submit: 'Join the group',
    noCars: 'Link a car first: a group ranks cars.',
    failed: 'This invite no longer works, or the car is not yours.',
  },
};
