#include "zonekit/base/gdal_errors.hpp"

#include <cpl_error.h>
#include <gdal.h>
#include <ogr_api.h>

#include <mutex>

namespace zk {

struct GdalErrorCapture::State {
    std::vector<std::string> messages;
    std::string last_error;
};

namespace {
void CPL_STDCALL capture_handler(CPLErr level, CPLErrorNum, const char* msg) {
    auto* state = static_cast<GdalErrorCapture::State*>(CPLGetErrorHandlerUserData());
    if (!state || level == CE_Debug || !msg) return;
    state->messages.emplace_back(msg);
    if (level >= CE_Failure) state->last_error = msg;
}
}  // namespace

GdalErrorCapture::GdalErrorCapture() : m_state(new State) {
    CPLPushErrorHandlerEx(capture_handler, m_state);
}

GdalErrorCapture::~GdalErrorCapture() {
    CPLPopErrorHandler();
    delete m_state;
}

std::vector<std::string> GdalErrorCapture::take() {
    std::vector<std::string> out;
    out.swap(m_state->messages);
    return out;
}

std::string GdalErrorCapture::last_error() const {
    if (!m_state->last_error.empty()) return m_state->last_error;
    const char* msg = CPLGetLastErrorMsg();
    return msg ? msg : "";
}

bool GdalErrorCapture::has_error() const { return !m_state->last_error.empty(); }

void gdal_init() {
    static std::once_flag once;
    std::call_once(once, [] {
        GDALAllRegister();
    });
}

}  // namespace zk
