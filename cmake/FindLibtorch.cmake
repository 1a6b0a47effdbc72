# Finds libtorch in this order: $LIBTORCH or $Torch_DIR (or -DTorch_DIR), the system's (Debian's
# libtorch-dev), then a Python torch's cmake prefix. Prints which one, its version and CUDA.
set(_kt_hints "")
if(DEFINED ENV{LIBTORCH} AND NOT "$ENV{LIBTORCH}" STREQUAL "")
  list(APPEND _kt_hints "$ENV{LIBTORCH}" "$ENV{LIBTORCH}/share/cmake")
  set(KERATORCH_TORCH_SOURCE "LIBTORCH=$ENV{LIBTORCH}")
endif()
if(DEFINED ENV{Torch_DIR} AND NOT "$ENV{Torch_DIR}" STREQUAL "" AND NOT Torch_DIR)
  set(Torch_DIR "$ENV{Torch_DIR}")
  set(KERATORCH_TORCH_SOURCE "Torch_DIR=$ENV{Torch_DIR}")
endif()

if(_kt_hints)
  find_package(Torch CONFIG QUIET PATHS ${_kt_hints} NO_DEFAULT_PATH)
  if(NOT Torch_FOUND)
    message(FATAL_ERROR "keratorch: LIBTORCH=$ENV{LIBTORCH} holds no TorchConfig.cmake "
                        "(expected $ENV{LIBTORCH}/share/cmake/Torch).")
  endif()
else()
  find_package(Torch CONFIG QUIET)
  if(Torch_FOUND AND NOT KERATORCH_TORCH_SOURCE)
    set(KERATORCH_TORCH_SOURCE "system")
  endif()
endif()

if(NOT Torch_FOUND)
  find_program(_kt_python NAMES python3 python)
  foreach(_py /usr/bin/python3 ${_kt_python})
    if(NOT Torch_FOUND AND EXISTS "${_py}")
      execute_process(COMMAND "${_py}" -c "import torch.utils; print(torch.utils.cmake_prefix_path)"
                      OUTPUT_VARIABLE _kt_prefix OUTPUT_STRIP_TRAILING_WHITESPACE
                      RESULT_VARIABLE _kt_rc ERROR_QUIET)
      if(_kt_rc EQUAL 0 AND EXISTS "${_kt_prefix}")
        find_package(Torch CONFIG QUIET PATHS "${_kt_prefix}" NO_DEFAULT_PATH)
        if(Torch_FOUND)
          set(KERATORCH_TORCH_SOURCE "python torch (${_py}): ${_kt_prefix}")
        endif()
      endif()
    endif()
  endforeach()
endif()

if(NOT Torch_FOUND)
  message(FATAL_ERROR
    "keratorch: libtorch not found. Install Debian's: sudo apt-get install libtorch-dev\n"
    "or point LIBTORCH at an unpacked libtorch (LIBTORCH=/opt/libtorch), or Torch_DIR at its "
    "share/cmake/Torch folder.")
endif()

# The folder that holds libtorch.so, for the rpath.
find_library(_kt_torch_lib NAMES torch PATHS ${TORCH_INSTALL_PREFIX}/lib NO_DEFAULT_PATH)
if(NOT _kt_torch_lib)
  find_library(_kt_torch_lib NAMES torch)
endif()
get_filename_component(KERATORCH_TORCH_LIB_DIR "${_kt_torch_lib}" DIRECTORY)

set(KERATORCH_TORCH_VERSION "${Torch_VERSION}")
set(KERATORCH_WITH_CUDA OFF)
if(TORCH_CUDA_LIBRARIES OR CUDA_FOUND OR CUDAToolkit_FOUND)
  set(KERATORCH_WITH_CUDA ON)
endif()
message(STATUS "keratorch: libtorch ${KERATORCH_TORCH_VERSION} from ${KERATORCH_TORCH_SOURCE} "
               "(${KERATORCH_TORCH_LIB_DIR}), CUDA: ${KERATORCH_WITH_CUDA}")
