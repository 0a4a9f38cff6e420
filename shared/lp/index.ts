/**
 * Line-protocol language service: one validator for the editor, main process and CLI.
 * Pure TypeScript (no Node, DOM or Electron APIs).
 */
export type { LpCode, LpCodeInfo, LpStage } from './codes';
export { codeStage, LP_CODES } from './codes';
export type { LpDocument } from './document';
export { createLpDocument } from './document';
export type { LpOptions } from './engine';
export type { FixCandidate, LineEdit, PlannedFix, RefusedFix, SafeFixPlan } from './fix-all';
export { orderSafeFixes, planSafeFixes } from './fix-all';
export type { Flavor, FlavorRules, PrecisionResolution, PrecisionSpec, PrecisionUnit, WriteApi } from './flavors';
export { apiPath, autoPrecisionUnit, FLAVOR_RULES, FLAVORS, isFlavor, PRECISION_NS, resolvePrecision } from './flavors';
export type { PrecisionCheck } from './precision';
export { checkPrecision, formatNs } from './precision';
export type { LpStreamEntry, LpStreamOptions, LpStreamStats } from './stream';
export { createLpStream, LpStream } from './stream';
export type { CardinalityWarning, LookalikeMeasurement, LpSummary } from './summary';
export { lookalikeMeasurements, SummaryBuilder, visibleName } from './summary';
export type {
  Diagnostic,
  EntryKind,
  FieldType,
  LpEntry,
  Point,
  PointField,
  QuickFix,
  Severity,
  TextEdit,
} from './types';
export type { LpValidation, ValidateOptions } from './validate';
export { parseLpEntry, parseLpPoint, validateLineProtocol } from './validate';
