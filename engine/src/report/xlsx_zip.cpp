/// The compression level of report workbooks.
///
/// libxlsxwriter (1.1.4, Debian 12) has no setting for it: it asks minizip for zlib's
/// default level (6) for every part of the workbook, and deflating the sheets' XML was
/// about a third of the time `run` spends on Ninh Bình's workbook. This file gives the
/// executable its own zipOpenNewFileInZip4_64, which the dynamic linker binds
/// libxlsxwriter's call to before minizip's; it forwards to minizip's with level 1
/// (Z_BEST_SPEED). Workbooks are a little larger and open the same (LibreOffice and the
/// tests' ZIP reader read them back). Where minizip is not a shared library of its own the
/// call never comes here and workbooks keep the default level.
#include <dlfcn.h>
#include <zlib.h>

#include "office_xlsx.hpp"

extern "C" {
#include <xlsxwriter/third_party/zip.h>
}

extern "C" int zipOpenNewFileInZip4_64(zipFile file, const char* filename, const zip_fileinfo* zipfi,
                                       const void* extrafield_local, uInt size_extrafield_local,
                                       const void* extrafield_global, uInt size_extrafield_global, const char* comment,
                                       int method, int level, int raw, int windowBits, int memLevel, int strategy,
                                       const char* password, uLong crcForCrypting, uLong versionMadeBy,
                                       uLong flagBase, int zip64) {
    using Open = decltype(&zipOpenNewFileInZip4_64);
    static const Open minizip = reinterpret_cast<Open>(::dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64"));
    if (minizip == nullptr) return ZIP_INTERNALERROR;
    if (method == Z_DEFLATED && level == Z_DEFAULT_COMPRESSION) level = subsim::report_detail::xlsx::kZipLevel;
    return minizip(file, filename, zipfi, extrafield_local, size_extrafield_local, extrafield_global,
                   size_extrafield_global, comment, method, level, raw, windowBits, memLevel, strategy, password,
                   crcForCrypting, versionMadeBy, flagBase, zip64);
}

namespace subsim::report_detail::xlsx {
bool fast_zip_linked() { return true; }
}  // namespace subsim::report_detail::xlsx
