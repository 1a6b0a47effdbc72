# Finds libtorch in this order: $LIBTORCH or $Torch_DIR (or -DTorch_DIR), the system's (Debian's
# libtorch-dev), then a Python torch's cmake prefix. Prints which one, its version and CUDA.
#
# Whatever is chosen is the only libtorch linked. TorchConfig's nested find_package(Caffe2) and its
# find_library(c10 ...) search the system prefixes before the libtorch's own folder, so with
# Debian's libtorch-dev also installed they would link its 1.13 libc10 next to another libtorch
# (the addon then fails to load, or aborts in c10's static initialisers). So the Caffe2 config and
# every library TorchConfig looks up are pinned to the chosen prefix before it runs, and
# cmake/CheckLinkedTorch.cmake checks the built addon's resolved libraries afterwards.
include(${CMAKE_CURRENT_LIST_DIR}/TorchCuda.cmake)

set(_kt_prefix "")
if(DEFINED ENV{LIBTORCH} AND NOT "$ENV{LIBTORCH}" STREQUAL "")
  get_filename_component(_kt_prefix "$ENV{LIBTORCH}" ABSOLUTE)
  set(KERATORCH_TORCH_SOURCE "LIBTORCH=$ENV{LIBTORCH}")
  if(NOT EXISTS "${_kt_prefix}/share/cmake/Torch/TorchConfig.cmake")
    message(FATAL_ERROR "keratorch: LIBTORCH=$ENV{LIBTORCH} holds no TorchConfig.cmake "
                        "(expected $ENV{LIBTORCH}/share/cmake/Torch/TorchConfig.cmake). For a pip torch, "
                        "LIBTORCH is its site-packages/torch folder.")
  endif()
elseif((DEFINED ENV{Torch_DIR} AND NOT "$ENV{Torch_DIR}" STREQUAL "") OR
       (Torch_DIR AND NOT Torch_DIR STREQUAL _KT_SYSTEM_TORCH_DIR))
  # (A Torch_DIR equal to _KT_SYSTEM_TORCH_DIR is the one an earlier configure found by itself;
  # scripts/setup.sh starts afresh a build folder from before that was recorded.)
  if(DEFINED ENV{Torch_DIR} AND NOT "$ENV{Torch_DIR}" STREQUAL "")
    set(Torch_DIR "$ENV{Torch_DIR}")
  endif()
  # Torch_DIR is <prefix>/share/cmake/Torch.
  get_filename_component(_kt_prefix "${Torch_DIR}/../../.." ABSOLUTE)
  set(KERATORCH_TORCH_SOURCE "Torch_DIR=${Torch_DIR}")
endif()

# Pins Caffe2's config and TorchConfig's library look-ups to one libtorch prefix.
macro(_kt_pin_torch prefix)
  set(Caffe2_DIR "${prefix}/share/cmake/Caffe2" CACHE PATH "keratorch: the chosen libtorch's" FORCE)
  foreach(_kt_pair "c10_LIBRARY=c10" "kineto_LIBRARY=kineto" "C10_CUDA_LIBRARY=c10_cuda" "TORCH_LIBRARY=torch")
    string(REPLACE "=" ";" _kt_pair "${_kt_pair}")
    list(GET _kt_pair 0 _kt_var)
    list(GET _kt_pair 1 _kt_lib)
    if(EXISTS "${prefix}/lib/lib${_kt_lib}.so")
      set(${_kt_var} "${prefix}/lib/lib${_kt_lib}.so" CACHE FILEPATH "keratorch: the chosen libtorch's" FORCE)
    else()
      unset(${_kt_var} CACHE)
    endif()
  endforeach()
  keratorch_prepare_torch_cuda("${prefix}")
endmacro()

if(_kt_prefix)
  _kt_pin_torch("${_kt_prefix}")
  find_package(Torch CONFIG QUIET PATHS "${_kt_prefix}/share/cmake" NO_DEFAULT_PATH)
  if(NOT Torch_FOUND)
    message(FATAL_ERROR "keratorch: ${KERATORCH_TORCH_SOURCE}: its TorchConfig.cmake failed (see above).")
  endif()
else()
  find_package(Torch CONFIG QUIET)
  if(Torch_FOUND)
    set(KERATORCH_TORCH_SOURCE "system")
    set(_kt_prefix "${TORCH_INSTALL_PREFIX}")
    set(_KT_SYSTEM_TORCH_DIR "${Torch_DIR}" CACHE INTERNAL "")
  endif()
endif()

if(NOT Torch_FOUND)
  find_program(_kt_python NAMES python3 python)
  foreach(_py /usr/bin/python3 ${_kt_python})
    if(NOT Torch_FOUND AND EXISTS "${_py}")
      # find_spec locates torch without importing it (importing takes seconds and needs its deps).
      execute_process(COMMAND "${_py}" -c
                        "import importlib.util, os; print(os.path.dirname(importlib.util.find_spec('torch').origin))"
                      OUTPUT_VARIABLE _kt_pytorch OUTPUT_STRIP_TRAILING_WHITESPACE
                      RESULT_VARIABLE _kt_rc ERROR_QUIET)
      if(_kt_rc EQUAL 0 AND EXISTS "${_kt_pytorch}/share/cmake/Torch/TorchConfig.cmake")
        set(_kt_prefix "${_kt_pytorch}")
        _kt_pin_torch("${_kt_prefix}")
        find_package(Torch CONFIG QUIET PATHS "${_kt_prefix}/share/cmake" NO_DEFAULT_PATH)
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
    "or point LIBTORCH at an unpacked libtorch (LIBTORCH=/opt/libtorch) or at a pip torch's "
    "site-packages/torch folder, or Torch_DIR at its share/cmake/Torch folder.")
endif()

# The folder that holds libtorch.so, for the rpath: the chosen prefix's (a system libtorch keeps it
# in the multiarch folder, where its own config found it).
find_library(_kt_torch_lib NAMES torch PATHS "${_kt_prefix}/lib" NO_DEFAULT_PATH NO_CACHE)
if(NOT _kt_torch_lib AND TORCH_LIBRARY)
  set(_kt_torch_lib "${TORCH_LIBRARY}")
endif()
if(NOT _kt_torch_lib)
  message(FATAL_ERROR "keratorch: ${KERATORCH_TORCH_SOURCE} has no lib/libtorch.so")
endif()
get_filename_component(KERATORCH_TORCH_LIB_DIR "${_kt_torch_lib}" DIRECTORY)
get_filename_component(KERATORCH_TORCH_LIB_DIR "${KERATORCH_TORCH_LIB_DIR}" REALPATH)

# Every libtorch library TORCH_LIBRARIES names (imported targets resolved) must be the chosen one's.
set(_kt_seen "")
set(_kt_linked "")
set(_kt_todo ${TORCH_LIBRARIES})
while(_kt_todo)
  list(POP_FRONT _kt_todo _kt_item)
  if(_kt_item IN_LIST _kt_seen)
    continue()
  endif()
  list(APPEND _kt_seen "${_kt_item}")
  if(TARGET "${_kt_item}")
    foreach(_kt_prop IMPORTED_LOCATION IMPORTED_LOCATION_RELEASE)
      get_target_property(_kt_loc "${_kt_item}" ${_kt_prop})
      if(_kt_loc)
        list(APPEND _kt_todo "${_kt_loc}")
      endif()
    endforeach()
    get_target_property(_kt_deps "${_kt_item}" INTERFACE_LINK_LIBRARIES)
    if(_kt_deps)
      list(APPEND _kt_todo ${_kt_deps})
    endif()
  elseif(_kt_item MATCHES "/lib(torch|c10)[^/]*\\.so")
    get_filename_component(_kt_dir "${_kt_item}" DIRECTORY)
    get_filename_component(_kt_dir "${_kt_dir}" REALPATH)
    if(NOT _kt_dir STREQUAL KERATORCH_TORCH_LIB_DIR)
      message(FATAL_ERROR "keratorch: ${KERATORCH_TORCH_SOURCE} was chosen, but its cmake config "
        "names ${_kt_item}, another libtorch's library. Remove the build folder and configure again; "
        "if it stays, set Torch_DIR to ${KERATORCH_TORCH_LIB_DIR}/../share/cmake/Torch.")
    endif()
    list(APPEND _kt_linked "${_kt_item}")
  endif()
endwhile()
list(REMOVE_DUPLICATES _kt_linked)

# The C++ standard: libtorch's own target says what its headers need (14 for 1.13, 20 for 2.13
# and later, whose ATen.h refuses anything older); keratorch's sources need at least 17.
set(KERATORCH_CXX_STANDARD 17)
if(TARGET torch)
  get_target_property(_kt_std torch CXX_STANDARD)
  if(_kt_std AND _kt_std GREATER 17)
    set(KERATORCH_CXX_STANDARD ${_kt_std})
  endif()
endif()

set(KERATORCH_TORCH_VERSION "${Torch_VERSION}")
set(KERATORCH_WITH_CUDA OFF)
if(TORCH_CUDA_LIBRARIES OR EXISTS "${KERATORCH_TORCH_LIB_DIR}/libtorch_cuda.so")
  set(KERATORCH_WITH_CUDA ON)
endif()
message(STATUS "keratorch: libtorch ${KERATORCH_TORCH_VERSION} from ${KERATORCH_TORCH_SOURCE} "
               "(${KERATORCH_TORCH_LIB_DIR}), CUDA: ${KERATORCH_WITH_CUDA}, C++${KERATORCH_CXX_STANDARD}")
foreach(_kt_lib ${_kt_linked})
  message(STATUS "keratorch: links ${_kt_lib}")
endforeach()
