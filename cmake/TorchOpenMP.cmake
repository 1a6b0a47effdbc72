# at::parallel_for is inline. With an OpenMP libtorch (AT_PARALLEL_OPENMP, Debian's and pip's) its
# parallel path is a `#pragma omp parallel` in the header, compiled only under -fopenmp: without it
# the addon's own parallel loops (the fused value-iteration kernels) run on one thread whatever
# setNumThreads says. So the files that call at::parallel_for compile with -fopenmp, and the addon
# links the OpenMP runtime libtorch_cpu itself loads (pip bundles its own renamed libgomp), so that
# both share one thread pool and one thread count.
#
# keratorch_use_torch_openmp(target...) sets this up for each target; it does nothing for a
# libtorch with its native thread pool, whose parallel_for calls into libtorch.
set(KERATORCH_TORCH_OPENMP OFF)
set(KERATORCH_TORCH_OPENMP_LIBRARY "")
foreach(_kt_dir IN LISTS TORCH_INCLUDE_DIRS)
  if(EXISTS "${_kt_dir}/ATen/Config.h")
    file(STRINGS "${_kt_dir}/ATen/Config.h" _kt_openmp REGEX "^#define AT_PARALLEL_OPENMP 1")
    if(_kt_openmp)
      set(KERATORCH_TORCH_OPENMP ON)
    endif()
    break()
  endif()
endforeach()

if(KERATORCH_TORCH_OPENMP)
  # The runtime libtorch_cpu needs, as the loader resolves it (its own folder first, via its rpath).
  find_program(_kt_ldd ldd)
  set(_kt_torch_cpu "${KERATORCH_TORCH_LIB_DIR}/libtorch_cpu.so")
  if(_kt_ldd AND EXISTS "${_kt_torch_cpu}")
    execute_process(COMMAND ${_kt_ldd} "${_kt_torch_cpu}" OUTPUT_VARIABLE _kt_ldd_out ERROR_QUIET)
    string(REGEX MATCH "lib(gomp|iomp5|omp)[^ \t\n]*\\.so[^ \t\n]* => ([^ \t\n]+)" _kt_match "${_kt_ldd_out}")
    if(_kt_match)
      set(KERATORCH_TORCH_OPENMP_LIBRARY "${CMAKE_MATCH_2}")
    endif()
  endif()
  if(NOT KERATORCH_TORCH_OPENMP_LIBRARY)
    message(WARNING "keratorch: libtorch uses OpenMP but its OpenMP runtime was not found next to "
                    "${_kt_torch_cpu}; the addon's fused kernels will run on one thread")
    set(KERATORCH_TORCH_OPENMP OFF)
  else()
    message(STATUS "keratorch: OpenMP for the addon's parallel loops, with libtorch's runtime ${KERATORCH_TORCH_OPENMP_LIBRARY}")
  endif()
endif()

function(keratorch_use_torch_openmp)
  if(NOT KERATORCH_TORCH_OPENMP)
    return()
  endif()
  foreach(_kt_target IN LISTS ARGN)
    # Compile-time only: -fopenmp at link time would add the compiler's own libgomp as well.
    target_compile_options(${_kt_target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-fopenmp>)
  endforeach()
  target_link_libraries(keratorch PRIVATE "${KERATORCH_TORCH_OPENMP_LIBRARY}")
endfunction()
