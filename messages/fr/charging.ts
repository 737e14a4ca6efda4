import type { EnglishMessages } from '../en';

// Messages en français de l'espace `charging` (syntaxe ICU) ; mêmes clés que l'anglais, vérifiées par le type.
export const charging: EnglishMessages['charging'] = {
  title: 'Recharge',
  intro: 'Recharges de {label}, de la plus récente à la plus ancienne.',
  notChargeable:
    '{label} n’a pas de batterie à brancher : les recharges concernent les voitures électriques et hybrides rechargeables.',
  list: {
    heading: 'Recharges',
    empty: 'Aucune recharge pour l’instant.',
    loadMore: 'Afficher plus',
    loading: 'Chargement d’autres recharges…',
    end: 'Toutes les recharges sont affichées.',
    error: 'Impossible de charger les recharges : {message}',
    ongoing: 'En charge',
    levels: '{start} → {end}',
    open: 'Recharge du {date}',
  },
  detail: {
    title: 'Recharge du {date}',
    back: 'Toutes les recharges',
    summary: 'Résumé',
    started: 'Début',
    ended: 'Fin',
    ongoing: 'Toujours en charge',
    duration: 'Durée',
    energyAdded: 'Énergie ajoutée',
    avgPower: 'Puissance moyenne',
    startLevel: 'Batterie au début',
    endLevel: 'Batterie à la fin',
    notKnown: 'inconnu',
    origin: {
      provider: 'Indiquée par le service de la voiture.',
      derived:
        'Trouvée par Kinetic dans les relevés de batterie de la voiture ; l’énergie est celle stockée par la batterie, sans les pertes de charge.',
    },
  },
  power: {
    heading: 'Puissance au fil du temps',
    none: 'Trop peu de relevés de batterie pendant cette recharge pour montrer la puissance.',
    unknownCapacity:
      'Puissance en kW inconnue pour cette voiture (capacité de batterie inconnue) : la hausse du niveau de batterie en % par heure est affichée.',
    estimated: 'Estimée d’après la hausse du niveau de batterie ({capacity} kWh utiles).',
    label: 'Puissance de charge de {start} à {end} ; pic {peak}.',
    peak: 'Pic',
  },
};
