# The fused value-iteration CPU kernels (binding/cpu/vin_fused_kernels.cc), compiled once per CPU
# capability into their own namespace; binding/vin_fused_cpu.cc picks the widest the CPU runs.
# A prebuilt binary thus uses AVX-512 or AVX2 where present and still runs on any x86-64.
function(keratorch_cpu_kernels name vector_bytes)
  add_library(keratorch_${name} OBJECT ${CMAKE_CURRENT_SOURCE_DIR}/binding/cpu/vin_fused_kernels.cc)
  set_target_properties(keratorch_${name} PROPERTIES POSITION_INDEPENDENT_CODE ON)
  # libtorch's usage requirements: includes and its flags (e.g. -D_GLIBCXX_USE_CXX11_ABI=0 for some builds).
  target_link_libraries(keratorch_${name} PRIVATE ${TORCH_LIBRARIES})
  target_compile_definitions(keratorch_${name} PRIVATE KERATORCH_CPU_NS=${name} KERATORCH_VECTOR_BYTES=${vector_bytes})
  target_compile_options(keratorch_${name} PRIVATE ${ARGN})
  target_sources(keratorch PRIVATE $<TARGET_OBJECTS:keratorch_${name}>)
  keratorch_use_torch_openmp(keratorch_${name})
endfunction()

keratorch_cpu_kernels(cpu_baseline 16)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
  keratorch_cpu_kernels(cpu_avx2 32 -mavx2 -mfma)
  keratorch_cpu_kernels(cpu_avx512 64 -mavx512f -mavx512vl -mfma)
  target_compile_definitions(keratorch PRIVATE KERATORCH_CPU_X86_VARIANTS=1)
endif()
