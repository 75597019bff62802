// An OGR feature definition owned by its reference count: GDAL's features refer to their definition, so one is
// released, never deleted; this holds it without a raw `new` at the caller.
#pragma once

#include <ogrsf_frmts.h>

#include <memory>
#include <string>

namespace zk {

struct FeatureDefnReleaser {
    void operator()(OGRFeatureDefn* d) const {
        if (d) d->Release();
    }
};
using FeatureDefnPtr = std::unique_ptr<OGRFeatureDefn, FeatureDefnReleaser>;

// A new definition named `name`, without fields, referenced once (by the pointer).
inline FeatureDefnPtr new_feature_defn(const std::string& name) {
    FeatureDefnPtr defn(new OGRFeatureDefn(name.c_str()));
    defn->Reference();
    return defn;
}

// The names of a definition's fields, "a, b, c" ("" for none), for a message about a field not found.
inline std::string field_names_of(const OGRFeatureDefn* defn) {
    std::string names;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        names += (i ? ", " : "") + std::string(defn->GetFieldDefn(i)->GetNameRef());
    return names;
}

}  // namespace zk
