/* gdal_api.h - GDAL's C API as solidata uses it, loaded on first use (src/core/dl.c says why).
 * A file that calls GDAL includes this after GDAL's headers and calls sol__gdal_load() before
 * its first GDAL function: the names below then stand for the loaded functions. */
#ifndef SOL_INGEST_GDAL_API_H
#define SOL_INGEST_GDAL_API_H

#include <solidata/status.h>

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>
#include <gdal_utils.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

/* every GDAL function solidata calls (a new one is added here, or the link fails) */
#define SOL_GDAL_FUNCTIONS(X)                                                                      \
    X(CPLErrorReset)                                                                               \
    X(CPLGetLastErrorMsg)                                                                          \
    X(CPLGetLastErrorType)                                                                         \
    X(CPLPopErrorHandler)                                                                          \
    X(CPLPushErrorHandler)                                                                         \
    X(CPLQuietErrorHandler)                                                                        \
    X(CPLSetThreadLocalConfigOption)                                                               \
    X(GDALAllRegister)                                                                             \
    X(GDALClose)                                                                                   \
    X(GDALDatasetGetLayer)                                                                         \
    X(GDALDatasetGetLayerByName)                                                                   \
    X(GDALDatasetGetLayerCount)                                                                    \
    X(GDALGetDatasetDriver)                                                                        \
    X(GDALGetDriverShortName)                                                                      \
    X(GDALGetMetadataItem)                                                                         \
    X(GDALOpenEx)                                                                                  \
    X(GDALVectorTranslate)                                                                         \
    X(GDALVectorTranslateOptionsFree)                                                              \
    X(GDALVectorTranslateOptionsNew)                                                               \
    X(OCTDestroyCoordinateTransformation)                                                          \
    X(OCTNewCoordinateTransformation)                                                              \
    X(OCTTransform)                                                                                \
    X(OGRGeometryTypeToName)                                                                       \
    X(OGR_FD_GetFieldCount)                                                                        \
    X(OGR_FD_GetFieldDefn)                                                                         \
    X(OGR_FD_GetFieldIndex)                                                                        \
    X(OGR_F_Destroy)                                                                               \
    X(OGR_F_GetFID)                                                                                \
    X(OGR_F_GetFieldAsDouble)                                                                      \
    X(OGR_F_GetFieldAsString)                                                                      \
    X(OGR_F_GetGeometryRef)                                                                        \
    X(OGR_F_IsFieldSetAndNotNull)                                                                  \
    X(OGR_Fld_GetNameRef)                                                                          \
    X(OGR_GT_Flatten)                                                                              \
    X(OGR_G_Clone)                                                                                 \
    X(OGR_G_DestroyGeometry)                                                                       \
    X(OGR_G_ExportToJsonEx)                                                                        \
    X(OGR_G_GetGeometryCount)                                                                      \
    X(OGR_G_GetGeometryRef)                                                                        \
    X(OGR_G_GetGeometryType)                                                                       \
    X(OGR_G_GetPointCount)                                                                         \
    X(OGR_G_GetPoints)                                                                             \
    X(OGR_G_GetX)                                                                                  \
    X(OGR_G_GetY)                                                                                  \
    X(OGR_G_IsEmpty)                                                                               \
    X(OGR_G_IsValid)                                                                               \
    X(OGR_G_MakeValid)                                                                             \
    X(OGR_G_Transform)                                                                             \
    X(OGR_L_GetLayerDefn)                                                                          \
    X(OGR_L_GetName)                                                                               \
    X(OGR_L_GetNextFeature)                                                                        \
    X(OGR_L_GetSpatialRef)                                                                         \
    X(OGR_L_ResetReading)                                                                          \
    X(OSRAutoIdentifyEPSG)                                                                         \
    X(OSRClone)                                                                                    \
    X(OSRDestroySpatialReference)                                                                  \
    X(OSRExportToWkt)                                                                              \
    X(OSRGetAuthorityCode)                                                                         \
    X(OSRGetAuthorityName)                                                                         \
    X(OSRImportFromEPSG)                                                                           \
    X(OSRIsSame)                                                                                   \
    X(OSRNewSpatialReference)                                                                      \
    X(OSRSetAxisMappingStrategy)                                                                   \
    X(OSRSetFromUserInput)                                                                         \
    X(VSIFCloseL)                                                                                  \
    X(VSIFOpenL)                                                                                   \
    X(VSIFReadL)                                                                                   \
    X(VSIFree)

struct sol__gdal_api {
#define SOL_GDAL_SLOT(f) __typeof__(f) *f;
    SOL_GDAL_FUNCTIONS(SOL_GDAL_SLOT)
#undef SOL_GDAL_SLOT
};
extern struct sol__gdal_api sol__gdal;

/* Load GDAL and register its drivers, once per process (thread-safe): SOL_OK, or SOL_EIO saying
 * what to install. */
sol_status sol__gdal_load(sol_error *err);

#ifndef SOL_GDAL_API_IMPL
#define CPLErrorReset                      sol__gdal.CPLErrorReset
#define CPLGetLastErrorMsg                 sol__gdal.CPLGetLastErrorMsg
#define CPLGetLastErrorType                sol__gdal.CPLGetLastErrorType
#define CPLPopErrorHandler                 sol__gdal.CPLPopErrorHandler
#define CPLPushErrorHandler                sol__gdal.CPLPushErrorHandler
#define CPLQuietErrorHandler               sol__gdal.CPLQuietErrorHandler
#define CPLSetThreadLocalConfigOption      sol__gdal.CPLSetThreadLocalConfigOption
#define GDALAllRegister                    sol__gdal.GDALAllRegister
#define GDALClose                          sol__gdal.GDALClose
#define GDALDatasetGetLayer                sol__gdal.GDALDatasetGetLayer
#define GDALDatasetGetLayerByName          sol__gdal.GDALDatasetGetLayerByName
#define GDALDatasetGetLayerCount           sol__gdal.GDALDatasetGetLayerCount
#define GDALGetDatasetDriver               sol__gdal.GDALGetDatasetDriver
#define GDALGetDriverShortName             sol__gdal.GDALGetDriverShortName
#define GDALGetMetadataItem                sol__gdal.GDALGetMetadataItem
#define GDALOpenEx                         sol__gdal.GDALOpenEx
#define GDALVectorTranslate                sol__gdal.GDALVectorTranslate
#define GDALVectorTranslateOptionsFree     sol__gdal.GDALVectorTranslateOptionsFree
#define GDALVectorTranslateOptionsNew      sol__gdal.GDALVectorTranslateOptionsNew
#define OCTDestroyCoordinateTransformation sol__gdal.OCTDestroyCoordinateTransformation
#define OCTNewCoordinateTransformation     sol__gdal.OCTNewCoordinateTransformation
#define OCTTransform                       sol__gdal.OCTTransform
#define OGRGeometryTypeToName              sol__gdal.OGRGeometryTypeToName
#define OGR_FD_GetFieldCount               sol__gdal.OGR_FD_GetFieldCount
#define OGR_FD_GetFieldDefn                sol__gdal.OGR_FD_GetFieldDefn
#define OGR_FD_GetFieldIndex               sol__gdal.OGR_FD_GetFieldIndex
#define OGR_F_Destroy                      sol__gdal.OGR_F_Destroy
#define OGR_F_GetFID                       sol__gdal.OGR_F_GetFID
#define OGR_F_GetFieldAsDouble             sol__gdal.OGR_F_GetFieldAsDouble
#define OGR_F_GetFieldAsString             sol__gdal.OGR_F_GetFieldAsString
#define OGR_F_GetGeometryRef               sol__gdal.OGR_F_GetGeometryRef
#define OGR_F_IsFieldSetAndNotNull         sol__gdal.OGR_F_IsFieldSetAndNotNull
#define OGR_Fld_GetNameRef                 sol__gdal.OGR_Fld_GetNameRef
#define OGR_GT_Flatten                     sol__gdal.OGR_GT_Flatten
#define OGR_G_Clone                        sol__gdal.OGR_G_Clone
#define OGR_G_DestroyGeometry              sol__gdal.OGR_G_DestroyGeometry
#define OGR_G_ExportToJsonEx               sol__gdal.OGR_G_ExportToJsonEx
#define OGR_G_GetGeometryCount             sol__gdal.OGR_G_GetGeometryCount
#define OGR_G_GetGeometryRef               sol__gdal.OGR_G_GetGeometryRef
#define OGR_G_GetGeometryType              sol__gdal.OGR_G_GetGeometryType
#define OGR_G_GetPointCount                sol__gdal.OGR_G_GetPointCount
#define OGR_G_GetPoints                    sol__gdal.OGR_G_GetPoints
#define OGR_G_GetX                         sol__gdal.OGR_G_GetX
#define OGR_G_GetY                         sol__gdal.OGR_G_GetY
#define OGR_G_IsEmpty                      sol__gdal.OGR_G_IsEmpty
#define OGR_G_IsValid                      sol__gdal.OGR_G_IsValid
#define OGR_G_MakeValid                    sol__gdal.OGR_G_MakeValid
#define OGR_G_Transform                    sol__gdal.OGR_G_Transform
#define OGR_L_GetLayerDefn                 sol__gdal.OGR_L_GetLayerDefn
#define OGR_L_GetName                      sol__gdal.OGR_L_GetName
#define OGR_L_GetNextFeature               sol__gdal.OGR_L_GetNextFeature
#define OGR_L_GetSpatialRef                sol__gdal.OGR_L_GetSpatialRef
#define OGR_L_ResetReading                 sol__gdal.OGR_L_ResetReading
#define OSRAutoIdentifyEPSG                sol__gdal.OSRAutoIdentifyEPSG
#define OSRClone                           sol__gdal.OSRClone
#define OSRDestroySpatialReference         sol__gdal.OSRDestroySpatialReference
#define OSRExportToWkt                     sol__gdal.OSRExportToWkt
#define OSRGetAuthorityCode                sol__gdal.OSRGetAuthorityCode
#define OSRGetAuthorityName                sol__gdal.OSRGetAuthorityName
#define OSRImportFromEPSG                  sol__gdal.OSRImportFromEPSG
#define OSRIsSame                          sol__gdal.OSRIsSame
#define OSRNewSpatialReference             sol__gdal.OSRNewSpatialReference
#define OSRSetAxisMappingStrategy          sol__gdal.OSRSetAxisMappingStrategy
#define OSRSetFromUserInput                sol__gdal.OSRSetFromUserInput
#define VSIFCloseL                         sol__gdal.VSIFCloseL
#define VSIFOpenL                          sol__gdal.VSIFOpenL
#define VSIFReadL                          sol__gdal.VSIFReadL
#define VSIFree                            sol__gdal.VSIFree
#endif

#endif
