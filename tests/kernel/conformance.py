"""Jupyter's kernel conformance suite (Debian python3-jupyter-kernel-test) against the course kernel.

Run by tests/kernel/conformance.test.ts with JUPYTER_PATH pointing at a temporary kernelspec of this checkout
and the repository root as working directory. Every test case the suite offers is filled in.
"""
import os
import unittest

import jupyter_kernel_test


class CourseKernelTests(jupyter_kernel_test.KernelTests):
    # COURSE_CONFORMANCE_KERNEL=tslab runs the same cases against tslab, for comparison.
    kernel_name = os.environ.get("COURSE_CONFORMANCE_KERNEL", "course-ts")
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("to stderr")'

    completion_samples = [
        {"text": "Math.flo", "matches": {"floor"}},
        {"text": "const longVariableName = 1;\nlongVariab", "matches": {"longVariableName"}},
    ]
    complete_code_samples = ["1 + 1", "const x = 1;", "function f() {\n  return 1;\n}", "for (const i of [1]) console.log(i);"]
    incomplete_code_samples = ["function f() {", "const xs = [1, 2,", "if (true) {\n  console.log(1);", "const s = `abc"]
    invalid_code_samples = ["const = ;", "1 +* 2", "let x = );"]

    code_page_something = "Math.max?"

    code_generate_error = 'throw new Error("test error")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"a" + "b"', "result": "'ab'"},
        {"code": "[1, 2, 3].map((x) => x * 2)", "result": "[ 2, 4, 6 ]"},
        {"code": '({ toMimeBundle: () => ({ "text/html": "<b>rich</b>", "text/plain": "rich" }) })', "mime": "text/html", "result": "<b>rich</b>"},
    ]
    code_display_data = [
        {"code": 'import { display } from "@llm-course/kernel";\nvoid display({ "text/html": "<i>shown</i>", "text/plain": "shown" })', "mime": "text/html"},
        {"code": 'import * as tslab from "tslab";\ntslab.display.html("<b>through tslab</b>")', "mime": "text/html"},
    ]

    code_history_pattern = "6 * *"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "Math.max"

    code_clear_output = 'import { clearOutput } from "@llm-course/kernel";\nvoid clearOutput()'


if __name__ == "__main__":
    unittest.main()
