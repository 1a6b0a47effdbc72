# Node-API and node-addon-api headers: from cmake-js when it drives the build, otherwise from
# -DNODE_API_HEADERS_DIR / -DNODE_ADDON_API_DIR or this package's node_modules.
if(CMAKE_JS_INC)
  set(KERATORCH_NODE_INCLUDE_DIRS ${CMAKE_JS_INC})
else()
  find_path(NODE_API_HEADERS_DIR node_api.h
    PATHS ${CMAKE_CURRENT_SOURCE_DIR}/node_modules/node-api-headers/include
          /usr/include/node /usr/local/include/node)
  if(NOT NODE_API_HEADERS_DIR)
    message(FATAL_ERROR "keratorch: node_api.h not found; pass -DNODE_API_HEADERS_DIR=<folder>")
  endif()
  set(KERATORCH_NODE_INCLUDE_DIRS ${NODE_API_HEADERS_DIR})
endif()
find_path(NODE_ADDON_API_DIR napi.h
  PATHS ${CMAKE_CURRENT_SOURCE_DIR}/node_modules/node-addon-api NO_DEFAULT_PATH)
if(NOT NODE_ADDON_API_DIR)
  message(FATAL_ERROR "keratorch: napi.h (node-addon-api) not found; pass -DNODE_ADDON_API_DIR=<folder>")
endif()
list(APPEND KERATORCH_NODE_INCLUDE_DIRS ${NODE_ADDON_API_DIR})
