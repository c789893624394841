{
  "targets": [
    {
      "target_name": "llm_course_native",
      "sources": ["src/addon.c"],
      "cflags": ["-O3", "-march=native", "-fno-math-errno", "-fno-trapping-math", "-fopenmp-simd", "-pthread"],
      "ldflags": ["-pthread"],
      "conditions": [
        ["OS=='mac'", {
          "defines": ["USE_ACCELERATE", "ACCELERATE_NEW_LAPACK"],
          "libraries": ["-framework Accelerate"],
          "xcode_settings": {"OTHER_CFLAGS": ["-O3", "-fopenmp-simd"]}
        }, {
          "libraries": ["-lopenblas"]
        }]
      ]
    }
  ]
}
