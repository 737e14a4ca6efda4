// The explorer's fixed geometry, shared by the charts, their skeleton and the zoom gestures: fixed
// heights so nothing shifts when the lazy chart code arrives, and a known plot area so a pointer's
// x coordinate maps to an instant without asking recharts.

import type { PlotArea } from './zoom';

/** The plot of each of the three charts, in CSS px (the bottom one adds the time axis). */
export const CHART_PLOT_HEIGHT = 132;
export const TIME_AXIS_HEIGHT = 28;
export const CHART_MARGIN = { top: 8, right: 12, bottom: 0, left: 4 } as const;
export const Y_AXIS_WIDTH = 44;

export const TELEMETRY_CHART_METRICS = ['speed', 'consumption', 'rpm'] as const;
export type ChartMetric = (typeof TELEMETRY_CHART_METRICS)[number];

export function chartHeight(isLast: boolean): number {
  return CHART_MARGIN.top + CHART_PLOT_HEIGHT + CHART_MARGIN.bottom + (isLast ? TIME_AXIS_HEIGHT : 0);
}

/** The plot area of a chart `width` px wide, relative to the chart's own box. */
export function plotAreaOf(width: number): PlotArea {
  const left = CHART_MARGIN.left + Y_AXIS_WIDTH;
  return { left, width: Math.max(0, width - left - CHART_MARGIN.right) };
}
