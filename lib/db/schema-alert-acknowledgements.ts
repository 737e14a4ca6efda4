import 'server-only';

// The table of migration 0008: which alerts their owner has acknowledged (lib/alerts/alerts.ts).

export type AlertAcknowledgementsTable = {
  vehicle_id: string;
  /** The alert's provider, or `kinetic` for Kinetic's own alerts (data stopped arriving). */
  provider: string;
  provider_alert_id: string;
  /** Who acknowledged it (the vehicle's owner at the time). */
  user_id: string;
  acknowledged_at: number;
};

export type AlertAcknowledgementTables = {
  alert_acknowledgements: AlertAcknowledgementsTable;
};
