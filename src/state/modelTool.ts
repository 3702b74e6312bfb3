/**
 * What the controller tells each tool that holds results for the current model (the "Use the
 * model" tools, the explainer, a family's own tools): a new model was asked for (drop what
 * belongs to the old one), new posteriors of the scatter's points, a metrics report while
 * training, and the page going away. A new tool joins the controller's list; nothing else changes.
 */
export interface ModelTool {
  onNewModel(): void;
  onLatents?(): void;
  onMetrics?(): void;
  dispose(): void;
}
