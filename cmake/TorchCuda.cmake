# What a CUDA libtorch's cmake config needs before it runs, found rather than hand-set:
#  - the CUDA toolkit's root: FindCUDA otherwise takes it from the first `nvcc` on PATH, which may
#    be a wrapper script outside the toolkit (here /usr/local/bin/nvcc);
#  - libnvrtc: pip's nvidia packages ship only libnvrtc.so.<major>, which find_library skips;
#  - the GPU architectures: libtorch ignores CMAKE_CUDA_ARCHITECTURES and falls back to a list
#    starting at compute_50, which nvcc 13 refuses; TORCH_CUDA_ARCH_LIST is what it reads;
#  - the folders of pip's CUDA libraries, for the addon's run path, so it loads where only those
#    exist (no system CUDA toolkit).
# Override with CUDA_HOME, CUDA_nvrtc_LIBRARY, KERATORCH_CUDA_ARCHS ("7.5;8.0;...").
set(KERATORCH_CUDA_RUNTIME_DIRS "")

function(_kt_cuda_toolkit_root out)
  set(_candidates "$ENV{CUDA_HOME}" "$ENV{CUDA_PATH}" "$ENV{CUDAToolkit_ROOT}" /usr/local/cuda)
  find_program(_kt_nvcc nvcc NO_CACHE)
  if(_kt_nvcc)
    # The real toolkit behind a wrapper: nvcc's dry run prints its TOP folder.
    execute_process(COMMAND "${_kt_nvcc}" --dryrun --version OUTPUT_VARIABLE _o ERROR_VARIABLE _e)
    if("${_o}${_e}" MATCHES "TOP=([^\n]*)")
      get_filename_component(_top "${CMAKE_MATCH_1}" ABSOLUTE)
      list(APPEND _candidates "${_top}")
    endif()
    get_filename_component(_real "${_kt_nvcc}" REALPATH)
    get_filename_component(_real "${_real}/../.." ABSOLUTE)
    list(APPEND _candidates "${_real}")
  endif()
  foreach(_dir ${_candidates})
    if(_dir AND EXISTS "${_dir}/bin/nvcc" AND EXISTS "${_dir}/include/cuda_runtime.h")
      set(${out} "${_dir}" PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out} "" PARENT_SCOPE)
endfunction()

macro(keratorch_prepare_torch_cuda prefix)
  if(EXISTS "${prefix}/lib/libtorch_cuda.so")
    if(NOT CUDA_TOOLKIT_ROOT_DIR)
      _kt_cuda_toolkit_root(_kt_cuda_root)
      if(NOT _kt_cuda_root)
        message(FATAL_ERROR "keratorch: ${prefix} is a CUDA libtorch, and building against it needs the "
          "CUDA toolkit (nvcc and its headers), which was not found. Install it, or set CUDA_HOME to its "
          "folder (the one with bin/nvcc).")
      endif()
      set(CUDA_TOOLKIT_ROOT_DIR "${_kt_cuda_root}" CACHE PATH "keratorch: the CUDA toolkit")
    endif()
    set(CUDAToolkit_ROOT "${CUDA_TOOLKIT_ROOT_DIR}")
    if(NOT CMAKE_CUDA_COMPILER)
      set(CMAKE_CUDA_COMPILER "${CUDA_TOOLKIT_ROOT_DIR}/bin/nvcc" CACHE FILEPATH "keratorch: nvcc")
    endif()
    # pip's CUDA libraries sit beside torch: site-packages/nvidia/<package>/lib.
    file(GLOB KERATORCH_CUDA_RUNTIME_DIRS LIST_DIRECTORIES true "${prefix}/../nvidia/*/lib")
    if(NOT CUDA_nvrtc_LIBRARY)
      file(GLOB _kt_nvrtc "${CUDA_TOOLKIT_ROOT_DIR}/lib64/libnvrtc.so" "${CUDA_TOOLKIT_ROOT_DIR}/lib64/libnvrtc.so.*"
        "${prefix}/../nvidia/*/lib/libnvrtc.so" "${prefix}/../nvidia/*/lib/libnvrtc.so.[0-9]*")
      list(FILTER _kt_nvrtc EXCLUDE REGEX "alt|builtins")
      if(NOT _kt_nvrtc)
        message(FATAL_ERROR "keratorch: libnvrtc (CUDA's runtime compiler, which libtorch_cuda needs) was "
          "found neither in ${CUDA_TOOLKIT_ROOT_DIR}/lib64 nor in pip's nvidia packages: set "
          "CUDA_nvrtc_LIBRARY to its file.")
      endif()
      list(GET _kt_nvrtc 0 _kt_nvrtc)
      set(CUDA_nvrtc_LIBRARY "${_kt_nvrtc}" CACHE FILEPATH "keratorch: libnvrtc")
    endif()
    if(NOT DEFINED KERATORCH_CUDA_ARCHS)
      set(KERATORCH_CUDA_ARCHS "7.5;8.0;8.6;8.9;9.0")
    endif()
    set(TORCH_CUDA_ARCH_LIST "${KERATORCH_CUDA_ARCHS}")
    message(STATUS "keratorch: CUDA toolkit ${CUDA_TOOLKIT_ROOT_DIR}, nvrtc ${CUDA_nvrtc_LIBRARY}, "
                   "architectures ${TORCH_CUDA_ARCH_LIST}")
  endif()
endmacro()
