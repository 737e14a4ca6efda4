// Zoom math of the explorer, kept apart from pointer events so it can be tested: pixels of the
// plot area ↔ instants, a dragged selection, a two-finger pinch, zoom buttons, and the width the
// chart asks the server for.

export type TimeWindow = { from: number; to: number };
/** Where the plot area sits inside the element that receives the pointer events. */
export type PlotArea = { left: number; width: number };

/** The smallest window worth zooming to: below a minute, raw 1 Hz samples are all there is. */
export const MIN_ZOOM_MS = 60_000;
/** A drag shorter than this is a click or a jitter, not a selection. */
export const MIN_SELECTION_PX = 8;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** The instant under an x coordinate (outside the plot: its nearest edge). */
export function timeAt(x: number, plot: PlotArea, window: TimeWindow): number {
  if (plot.width <= 0) return window.from;
  const ratio = clamp((x - plot.left) / plot.width, 0, 1);
  return window.from + ratio * (window.to - window.from);
}

/**
 * Keeps a window inside the bounds (the range the owner chose) and at least MIN_ZOOM_MS long,
 * sliding it rather than cutting it so a zoom near an edge keeps its length.
 */
export function clampWindow(window: TimeWindow, bounds: TimeWindow): TimeWindow {
  const boundsSpan = bounds.to - bounds.from;
  const span = clamp(window.to - window.from, Math.min(MIN_ZOOM_MS, boundsSpan), boundsSpan);
  // Whole milliseconds: instants are integers everywhere else (the API, the URL, query keys).
  const from = Math.round(clamp(window.from, bounds.from, bounds.to - span));
  return { from, to: from + Math.round(span) };
}

/** The window a drag from x0 to x1 selects, or null for a drag too short to mean anything. */
export function selectionWindow(
  x0: number,
  x1: number,
  plot: PlotArea,
  view: TimeWindow,
  bounds: TimeWindow,
): TimeWindow | null {
  if (Math.abs(x1 - x0) < MIN_SELECTION_PX) return null;
  const a = timeAt(Math.min(x0, x1), plot, view);
  const b = timeAt(Math.max(x0, x1), plot, view);
  return clampWindow({ from: a, to: b }, bounds);
}

export type PointerPair = [number, number];

/**
 * A pinch from two fingers at `start` to `current` (x coordinates): the instant under the first
 * midpoint stays under the fingers' midpoint, and the span shrinks as the fingers spread.
 */
export function pinchWindow(
  start: PointerPair,
  current: PointerPair,
  plot: PlotArea,
  view: TimeWindow,
  bounds: TimeWindow,
): TimeWindow {
  const startDistance = Math.abs(start[0] - start[1]);
  const currentDistance = Math.abs(current[0] - current[1]);
  // Two fingers on the same column: no scale can be read yet, only a pan.
  const scale = startDistance < 1 || currentDistance < 1 ? 1 : startDistance / currentDistance;
  const anchor = timeAt((start[0] + start[1]) / 2, plot, view);
  const span = (view.to - view.from) * scale;
  const midRatio = plot.width > 0 ? ((current[0] + current[1]) / 2 - plot.left) / plot.width : 0.5;
  const from = anchor - midRatio * span;
  return clampWindow({ from, to: from + span }, bounds);
}

/** Zoom buttons: `factor` < 1 zooms in, > 1 out, around the centre of the view. */
export function zoomBy(view: TimeWindow, factor: number, bounds: TimeWindow): TimeWindow {
  const centre = (view.from + view.to) / 2;
  const half = ((view.to - view.from) * factor) / 2;
  return clampWindow({ from: centre - half, to: centre + half }, bounds);
}

/** Pans by a fraction of the view (the phone's ← → buttons of the zoom control). */
export function panBy(view: TimeWindow, fraction: number, bounds: TimeWindow): TimeWindow {
  const shift = (view.to - view.from) * fraction;
  return clampWindow({ from: view.from + shift, to: view.to + shift }, bounds);
}

/** True when a window is the whole of its bounds (nothing to reset). */
export function isWholeRange(view: TimeWindow, bounds: TimeWindow): boolean {
  return view.from <= bounds.from && view.to >= bounds.to;
}

/** Rounds a window to whole seconds so nearby zooms share query keys and URLs stay short. */
export function roundWindow(window: TimeWindow): TimeWindow {
  return { from: Math.floor(window.from / 1000) * 1000, to: Math.ceil(window.to / 1000) * 1000 };
}

export const WIDTH_STEP_PX = 50;
/**
 * What the server page asks for before the browser has measured anything: a phone's plot. On a
 * Pixel 7 (412 px) the page's content is 380 px wide and the plot 380 − 48 − 12 = 320 px → 350.
 */
export const SERVER_WIDTH_PX = 350;

/**
 * The width sent to the API: the measured plot width rounded up to a 50 px step (so charts of
 * nearly the same size share cache entries and a phone matches the server's prefetch), within
 * the API's 1…4000.
 */
export function widthBucket(measured: number): number {
  if (!Number.isFinite(measured) || measured <= 0) return SERVER_WIDTH_PX;
  return clamp(Math.ceil(measured / WIDTH_STEP_PX) * WIDTH_STEP_PX, WIDTH_STEP_PX, 4000);
}
