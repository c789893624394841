/** The notebooks' run mode: `quick` (small configs, minutes on a laptop CPU; the default) or `full`. */
export type CourseMode = "quick" | "full";

/**
 * Reads `COURSE_MODE` (set by `course notebooks --quick|--full`; unset in Jupyter, so learners get `quick`).
 * @returns the mode; throws on any other value, naming the variable and the allowed values.
 */
export function courseMode(): CourseMode {
  const value = process.env["COURSE_MODE"] ?? "quick";
  if (value !== "quick" && value !== "full") {
    throw new Error(`COURSE_MODE=${value} is not "quick" or "full" (unset it for quick)`);
  }
  return value;
}
