//! Declarative macros that generate, from one member list, a struct, its codec
//! and its member table ([`crate::schema::MemberInfo`]), so the three cannot
//! drift. Member kinds: `req` (required input / always emitted output),
//! `opt` (`Option<T>`), `omit_empty` (outputs only: a `Vec` written only when
//! non-empty, as AWS does for `Tags`).

/// Field type for a member kind.
macro_rules! field_ty {
    (req $t:ty) => { $t };
    (opt $t:ty) => { Option<$t> };
    (omit_empty $t:ty) => { $t };
}

/// Whether a member kind is required / always emitted.
macro_rules! is_required {
    (req) => {
        true
    };
    (opt) => {
        false
    };
    (omit_empty) => {
        false
    };
}

/// Decodes one input member.
macro_rules! decode_field {
    (req $t:ty, $p:expr, $key:expr, $c:expr, $v:expr) => {
        $crate::schema::decode_required::<$t>($p, $key, $c, $v)
    };
    (opt $t:ty, $p:expr, $key:expr, $c:expr, $v:expr) => {
        <$t as $crate::schema::QueryValue>::decode($p, $key, $c, $v)
    };
}

/// Writes one output member.
macro_rules! write_field {
    (req $val:expr, $wire:expr, $w:expr) => {
        $crate::xml::XmlValue::write_xml($val, $wire, $w)
    };
    (opt $val:expr, $wire:expr, $w:expr) => {
        if let Some(x) = $val {
            $crate::xml::XmlValue::write_xml(x, $wire, $w)
        }
    };
    (omit_empty $val:expr, $wire:expr, $w:expr) => {
        if !$val.is_empty() {
            $crate::xml::XmlValue::write_xml($val, $wire, $w)
        }
    };
}

/// An input structure decoded from awsQuery parameters.
///
/// ```text
/// input! {
///     /// doc
///     CreateUserInput "CreateUserRequest" {
///         opt path: String = "Path", Some(&PATH);
///         req user_name: String = "UserName", Some(&USER_NAME);
///     }
/// }
/// ```
macro_rules! input {
    (
        $(#[$doc:meta])*
        $name:ident $shape:literal {
            $( $kind:ident $field:ident : $ty:ty = $wire:literal, $c:expr ; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $(
                #[doc = concat!("Wire member `", $wire, "`.")]
                pub $field: field_ty!($kind $ty),
            )*
        }

        impl $name {
            /// The members we decode (name, wire type, required, constraints).
            pub const MEMBERS: &'static [$crate::schema::MemberInfo] = &[
                $( $crate::schema::MemberInfo {
                    name: $wire,
                    ty: <$ty as $crate::schema::QueryValue>::TYPE,
                    required: is_required!($kind),
                    constraint: $c,
                }, )*
            ];

            /// The model shape this structure decodes.
            pub const INFO: $crate::schema::StructInfo =
                $crate::schema::StructInfo { name: $shape, members: Self::MEMBERS };

            fn decode_fields(
                _params: &$crate::query::QueryParams,
                _prefix: &str,
                _v: &mut $crate::schema::Violations,
            ) -> Self {
                Self {
                    $( $field: decode_field!($kind $ty, _params, &format!("{}{}", _prefix, $wire), $c, _v), )*
                }
            }

            /// Decodes the operation parameters, checking required members and model constraints.
            ///
            /// # Errors
            /// `ValidationError` (AWS wording) for missing or invalid members.
            pub fn decode(params: &$crate::query::QueryParams) -> Result<Self, $crate::error::WireError> {
                let mut v = $crate::schema::Violations::default();
                let value = Self::decode_fields(params, "", &mut v);
                v.finish()?;
                Ok(value)
            }
        }

        impl $crate::schema::QueryValue for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::Structure(&Self::INFO);

            fn present(params: &$crate::query::QueryParams, key: &str) -> bool {
                params.has_prefix(&format!("{key}."))
            }

            fn decode(
                params: &$crate::query::QueryParams,
                key: &str,
                _c: Option<&'static $crate::schema::Constraint>,
                v: &mut $crate::schema::Violations,
            ) -> Option<Self> {
                let prefix = format!("{key}.");
                if !params.has_prefix(&prefix) {
                    return None;
                }
                Some(Self::decode_fields(params, &prefix, v))
            }
        }

        impl $crate::record::Recorded for $name {
            fn recorded(&self) -> Option<serde_json::Value> {
                let mut _m = serde_json::Map::new();
                $( $crate::record::member(&mut _m, $wire, &self.$field); )*
                Some(serde_json::Value::Object(_m))
            }
        }
    };
}

/// An output structure encoded as awsQuery XML.
macro_rules! structure {
    (
        $(#[$doc:meta])*
        $name:ident $shape:literal {
            $( $kind:ident $field:ident : $ty:ty = $wire:literal ; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $(
                #[doc = concat!("Wire member `", $wire, "`.")]
                pub $field: field_ty!($kind $ty),
            )*
        }

        impl $name {
            /// The members we emit (name, wire type, always emitted).
            pub const MEMBERS: &'static [$crate::schema::MemberInfo] = &[
                $( $crate::schema::MemberInfo {
                    name: $wire,
                    ty: <$ty as $crate::xml::XmlValue>::TYPE,
                    required: is_required!($kind),
                    constraint: None,
                }, )*
            ];

            /// The model shape this structure encodes.
            pub const INFO: $crate::schema::StructInfo =
                $crate::schema::StructInfo { name: $shape, members: Self::MEMBERS };
        }

        impl $crate::xml::XmlMembers for $name {
            fn write_members(&self, _w: &mut $crate::xml::XmlWriter) {
                $( write_field!($kind &self.$field, $wire, _w); )*
            }
        }

        impl $crate::xml::XmlValue for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::Structure(&Self::INFO);
            fn write_xml(&self, name: &str, w: &mut $crate::xml::XmlWriter) {
                w.open(name);
                $crate::xml::XmlMembers::write_members(self, w);
                w.close(name);
            }
        }

        impl $crate::record::Recorded for $name {
            fn recorded(&self) -> Option<serde_json::Value> {
                let mut _m = serde_json::Map::new();
                $( $crate::record::member(&mut _m, $wire, &self.$field); )*
                Some(serde_json::Value::Object(_m))
            }
        }
    };
}

/// A string enum of the model, decodable and encodable.
macro_rules! wire_enum {
    (
        $(#[$doc:meta])*
        $name:ident $shape:literal { $first:ident = $fv:literal $(, $var:ident = $val:literal)* $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[default]
            #[doc = concat!("`", $fv, "`")]
            $first,
            $( #[doc = concat!("`", $val, "`")] $var, )*
        }

        impl $name {
            /// The wire values, in model order.
            pub const VALUES: &'static [&'static str] = &[$fv, $($val,)*];
            /// The enum constraint of the model shape.
            pub const CONSTRAINT: $crate::schema::Constraint =
                $crate::schema::Constraint::new($shape).values(Self::VALUES);

            /// The wire spelling.
            #[must_use]
            pub fn as_str(self) -> &'static str {
                match self { Self::$first => $fv, $( Self::$var => $val, )* }
            }

            /// Parses the wire spelling.
            #[must_use]
            pub fn from_wire(text: &str) -> Option<Self> {
                match text { $fv => Some(Self::$first), $( $val => Some(Self::$var), )* _ => None }
            }
        }

        impl $crate::schema::QueryValue for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::String;
            fn decode(
                params: &$crate::query::QueryParams,
                key: &str,
                _c: Option<&'static $crate::schema::Constraint>,
                v: &mut $crate::schema::Violations,
            ) -> Option<Self> {
                let raw = params.get(key)?;
                let parsed = Self::from_wire(raw);
                if parsed.is_none() {
                    Self::CONSTRAINT.check_str(raw, key, v);
                }
                Some(parsed.unwrap_or_default())
            }
        }

        impl $crate::xml::XmlValue for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::String;
            fn write_xml(&self, name: &str, w: &mut $crate::xml::XmlWriter) {
                w.text_element(name, self.as_str());
            }
        }

        impl $crate::json::JsonDecode for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::String;
            fn decode_json(
                value: &serde_json::Value,
                path: &str,
                _c: Option<&'static $crate::schema::Constraint>,
                v: &mut $crate::json::JsonViolations,
            ) -> Option<Self> {
                let raw = <String as $crate::json::JsonDecode>::decode_json(value, path, None, v)?;
                let parsed = Self::from_wire(&raw);
                if parsed.is_none() {
                    $crate::json::check_json_str(&raw, path, &Self::CONSTRAINT, v);
                }
                Some(parsed.unwrap_or_default())
            }
        }

        impl $crate::json::JsonEncode for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::String;
            fn to_json(&self) -> serde_json::Value {
                serde_json::Value::from(self.as_str())
            }
        }

        impl $crate::record::Recorded for $name {
            fn recorded(&self) -> Option<serde_json::Value> {
                Some(serde_json::Value::from(self.as_str()))
            }
        }
    };
}

/// The `Operation` and `Output` enums of an awsQuery service, their dispatch,
/// and `SERVED_OPERATIONS`.
macro_rules! operations {
    (
        service: $svc:expr;
        with_output { $( $op:ident($in:ty => $out:ty), )* }
        without_output { $( $eop:ident($ein:ty), )* }
    ) => {
        /// A decoded request: one variant per served operation.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Operation {
            $( #[doc = concat!("`", stringify!($op), "`")] $op($in), )*
            $( #[doc = concat!("`", stringify!($eop), "` (no output shape)")] $eop($ein), )*
        }

        impl Operation {
            /// Decodes `action` from its parameters.
            ///
            /// # Errors
            /// `InvalidAction` for an action we do not serve; `ValidationError` for bad members.
            pub fn decode(action: &str, params: &$crate::query::QueryParams) -> Result<Self, $crate::error::WireError> {
                match action {
                    $( stringify!($op) => Ok(Self::$op(<$in>::decode(params)?)), )*
                    $( stringify!($eop) => Ok(Self::$eop(<$ein>::decode(params)?)), )*
                    _ => Err($crate::schema::invalid_action(action, $svc.version())),
                }
            }

            /// The operation name (`Action`).
            #[must_use]
            pub fn name(&self) -> &'static str {
                match self {
                    $( Self::$op(_) => stringify!($op), )*
                    $( Self::$eop(_) => stringify!($eop), )*
                }
            }

            /// Whether the operation has an output shape (`false` → answer with [`Output::Empty`]).
            #[must_use]
            pub fn has_output(&self) -> bool {
                match self {
                    $( Self::$op(_) => true, )*
                    $( Self::$eop(_) => false, )*
                }
            }
        }

        /// The result of an operation, ready to encode.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Output {
            $( #[doc = concat!("`", stringify!($op), "`")] $op($out), )*
            /// Any operation without an output shape.
            Empty,
        }

        impl Output {
            /// The operation this output belongs to (`None` for [`Output::Empty`]).
            #[must_use]
            pub fn name(&self) -> Option<&'static str> {
                match self {
                    $( Self::$op(_) => Some(stringify!($op)), )*
                    Self::Empty => None,
                }
            }

            /// Encodes the awsQuery success response. Element names come from the
            /// variant; `action` names the response only for [`Output::Empty`].
            #[must_use]
            pub fn encode(&self, action: &str, request_id: &str) -> $crate::error::WireResponse {
                match self {
                    $( Self::$op(o) => $crate::xml::query_response($svc, stringify!($op), request_id, Some(o)), )*
                    Self::Empty => $crate::xml::query_response($svc, action, request_id, None),
                }
            }
        }

        $(
            impl From<$out> for Output {
                fn from(o: $out) -> Self {
                    Self::$op(o)
                }
            }
        )*

        /// Every operation we serve, with the input members we decode and the output members we emit.
        pub const SERVED_OPERATIONS: &[$crate::schema::OperationInfo] = &[
            $( $crate::schema::OperationInfo { name: stringify!($op), input: <$in>::MEMBERS, output: Some(<$out>::MEMBERS) }, )*
            $( $crate::schema::OperationInfo { name: stringify!($eop), input: <$ein>::MEMBERS, output: None }, )*
        ];

        impl $crate::record::Recorded for Operation {
            /// `requestParameters`: the input's members, secrets withheld.
            fn recorded(&self) -> Option<serde_json::Value> {
                match self {
                    $( Self::$op(i) => $crate::record::Recorded::recorded(i), )*
                    $( Self::$eop(i) => $crate::record::Recorded::recorded(i), )*
                }
            }
        }

        impl $crate::record::Recorded for Output {
            /// `responseElements`: the output's members, secrets withheld; `None` without output.
            fn recorded(&self) -> Option<serde_json::Value> {
                match self {
                    $( Self::$op(o) => $crate::record::Recorded::recorded(o), )*
                    Self::Empty => None,
                }
            }
        }
    };
}

/// Decodes one JSON input member.
macro_rules! json_decode_field {
    (req $t:ty, $obj:expr, $wire:expr, $path:expr, $c:expr, $v:expr) => {
        $crate::json::decode_required::<$t>($obj, $wire, $path, $c, $v)
    };
    (opt $t:ty, $obj:expr, $wire:expr, $path:expr, $c:expr, $v:expr) => {
        $crate::json::decode_optional::<$t>($obj, $wire, $path, $c, $v)
    };
}

/// Writes one JSON output member.
macro_rules! json_write_field {
    (req $val:expr, $wire:expr, $m:expr) => {
        $m.insert($wire.to_owned(), $crate::json::JsonEncode::to_json($val));
    };
    (opt $val:expr, $wire:expr, $m:expr) => {
        if let Some(x) = $val {
            $m.insert($wire.to_owned(), $crate::json::JsonEncode::to_json(x));
        }
    };
    (omit_empty $val:expr, $wire:expr, $m:expr) => {
        if !$val.is_empty() {
            $m.insert($wire.to_owned(), $crate::json::JsonEncode::to_json($val));
        }
    };
}

/// An input structure decoded from a JSON body (awsJson1.1, restJson1); same
/// member syntax as `input!`. Also encodable, for structures that appear in
/// both directions (`Tag`, `HandshakeParty`).
macro_rules! json_input {
    (
        $(#[$doc:meta])*
        $name:ident $shape:literal {
            $( $kind:ident $field:ident : $ty:ty = $wire:literal, $c:expr ; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $(
                #[doc = concat!("Wire member `", $wire, "`.")]
                pub $field: field_ty!($kind $ty),
            )*
        }

        impl $name {
            /// The members we decode (name, wire type, required, constraints).
            pub const MEMBERS: &'static [$crate::schema::MemberInfo] = &[
                $( $crate::schema::MemberInfo {
                    name: $wire,
                    ty: <$ty as $crate::json::JsonDecode>::TYPE,
                    required: is_required!($kind),
                    constraint: $c,
                }, )*
            ];

            /// The model shape this structure decodes.
            pub const INFO: $crate::schema::StructInfo =
                $crate::schema::StructInfo { name: $shape, members: Self::MEMBERS };

            fn decode_members(
                _obj: &serde_json::Map<String, serde_json::Value>,
                _prefix: &str,
                _v: &mut $crate::json::JsonViolations,
            ) -> Self {
                Self {
                    $( $field: json_decode_field!($kind $ty, _obj, $wire, &format!("{}{}", _prefix, $wire), $c, _v), )*
                }
            }

            /// Decodes a request body, checking required members and model constraints.
            ///
            /// # Errors
            /// Every violation found; the service module turns them into its error.
            pub fn decode_json_body(body: &serde_json::Value) -> Result<Self, $crate::json::JsonViolations> {
                let mut v = $crate::json::JsonViolations::default();
                let empty = serde_json::Map::new();
                let obj = match body.as_object() {
                    Some(obj) => obj,
                    None => {
                        v.push("", $crate::json::ViolationKind::Type, "Expected an object");
                        &empty
                    }
                };
                let value = Self::decode_members(obj, "", &mut v);
                if v.is_empty() { Ok(value) } else { Err(v) }
            }
        }

        impl $crate::json::JsonDecode for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::Structure(&Self::INFO);
            fn decode_json(
                value: &serde_json::Value,
                path: &str,
                _c: Option<&'static $crate::schema::Constraint>,
                v: &mut $crate::json::JsonViolations,
            ) -> Option<Self> {
                match value.as_object() {
                    Some(obj) => Some(Self::decode_members(obj, &format!("{path}."), v)),
                    None => {
                        v.push(path, $crate::json::ViolationKind::Type, "Expected an object");
                        None
                    }
                }
            }
        }

        impl $crate::json::JsonEncode for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::Structure(&Self::INFO);
            fn to_json(&self) -> serde_json::Value {
                let mut _m = serde_json::Map::new();
                $( json_write_field!($kind &self.$field, $wire, _m); )*
                serde_json::Value::Object(_m)
            }
        }

        impl $crate::record::Recorded for $name {
            fn recorded(&self) -> Option<serde_json::Value> {
                let mut _m = serde_json::Map::new();
                $( $crate::record::member(&mut _m, $wire, &self.$field); )*
                Some(serde_json::Value::Object(_m))
            }
        }
    };
}

/// An output structure encoded as JSON; same member syntax as `structure!`.
macro_rules! json_structure {
    (
        $(#[$doc:meta])*
        $name:ident $shape:literal {
            $( $kind:ident $field:ident : $ty:ty = $wire:literal ; )*
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        pub struct $name {
            $(
                #[doc = concat!("Wire member `", $wire, "`.")]
                pub $field: field_ty!($kind $ty),
            )*
        }

        impl $name {
            /// The members we emit (name, wire type, always emitted).
            pub const MEMBERS: &'static [$crate::schema::MemberInfo] = &[
                $( $crate::schema::MemberInfo {
                    name: $wire,
                    ty: <$ty as $crate::json::JsonEncode>::TYPE,
                    required: is_required!($kind),
                    constraint: None,
                }, )*
            ];

            /// The model shape this structure encodes.
            pub const INFO: $crate::schema::StructInfo =
                $crate::schema::StructInfo { name: $shape, members: Self::MEMBERS };
        }

        impl $crate::json::JsonEncode for $name {
            const TYPE: $crate::schema::WireType = $crate::schema::WireType::Structure(&Self::INFO);
            fn to_json(&self) -> serde_json::Value {
                let mut _m = serde_json::Map::new();
                $( json_write_field!($kind &self.$field, $wire, _m); )*
                serde_json::Value::Object(_m)
            }
        }

        impl $crate::record::Recorded for $name {
            fn recorded(&self) -> Option<serde_json::Value> {
                let mut _m = serde_json::Map::new();
                $( $crate::record::member(&mut _m, $wire, &self.$field); )*
                Some(serde_json::Value::Object(_m))
            }
        }
    };
}

/// The `Operation` and `Output` enums of a JSON service, their dispatch and
/// `SERVED_OPERATIONS`. `decode_error` turns [`crate::json::JsonViolations`]
/// into the service's error; `respond` renders a JSON body; `empty` renders
/// the response of an operation without output.
macro_rules! json_operations {
    (
        decode_error: $derr:path;
        respond: $respond:path;
        empty: $empty:path;
        with_output { $( $op:ident($in:ty => $out:ty), )* }
        without_output { $( $eop:ident($ein:ty), )* }
    ) => {
        /// A decoded request: one variant per served operation.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Operation {
            $( #[doc = concat!("`", stringify!($op), "`")] $op($in), )*
            $( #[doc = concat!("`", stringify!($eop), "` (no output shape)")] $eop($ein), )*
        }

        impl Operation {
            /// Decodes `operation` (the `X-Amz-Target` suffix or REST path's operation) from its JSON body.
            ///
            /// # Errors
            /// `UnknownOperationException` for an operation we do not serve; the
            /// service's validation error for bad members; `SerializationException`
            /// for a body that is not an object or a member of the wrong JSON type.
            pub fn decode(operation: &str, body: &serde_json::Value) -> Result<Self, $crate::error::WireError> {
                $crate::json::body_object(body)?;
                match operation {
                    $( stringify!($op) => <$in>::decode_json_body(body).map(Self::$op).map_err($derr), )*
                    $( stringify!($eop) => <$ein>::decode_json_body(body).map(Self::$eop).map_err($derr), )*
                    _ => Err($crate::json::unknown_operation(operation)),
                }
            }

            /// The operation name.
            #[must_use]
            pub fn name(&self) -> &'static str {
                match self {
                    $( Self::$op(_) => stringify!($op), )*
                    $( Self::$eop(_) => stringify!($eop), )*
                }
            }

            /// Whether the operation has an output shape (`false` → answer with [`Output::Empty`]).
            #[must_use]
            pub fn has_output(&self) -> bool {
                match self {
                    $( Self::$op(_) => true, )*
                    $( Self::$eop(_) => false, )*
                }
            }
        }

        /// The result of an operation, ready to encode.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Output {
            $( #[doc = concat!("`", stringify!($op), "`")] $op($out), )*
            /// Any operation without an output shape.
            Empty,
        }

        impl Output {
            /// The operation this output belongs to (`None` for [`Output::Empty`]).
            #[must_use]
            pub fn name(&self) -> Option<&'static str> {
                match self {
                    $( Self::$op(_) => Some(stringify!($op)), )*
                    Self::Empty => None,
                }
            }

            /// Encodes the success response.
            #[must_use]
            pub fn encode(&self, request_id: &str) -> $crate::error::WireResponse {
                match self {
                    $( Self::$op(o) => $respond(&$crate::json::JsonEncode::to_json(o), request_id), )*
                    Self::Empty => $empty(request_id),
                }
            }
        }

        $(
            impl From<$out> for Output {
                fn from(o: $out) -> Self {
                    Self::$op(o)
                }
            }
        )*

        /// Every operation we serve, with the input members we decode and the output members we emit.
        pub const SERVED_OPERATIONS: &[$crate::schema::OperationInfo] = &[
            $( $crate::schema::OperationInfo { name: stringify!($op), input: <$in>::MEMBERS, output: Some(<$out>::MEMBERS) }, )*
            $( $crate::schema::OperationInfo { name: stringify!($eop), input: <$ein>::MEMBERS, output: None }, )*
        ];

        impl $crate::record::Recorded for Operation {
            /// `requestParameters`: the input's members, secrets withheld.
            fn recorded(&self) -> Option<serde_json::Value> {
                match self {
                    $( Self::$op(i) => $crate::record::Recorded::recorded(i), )*
                    $( Self::$eop(i) => $crate::record::Recorded::recorded(i), )*
                }
            }
        }

        impl $crate::record::Recorded for Output {
            /// `responseElements`: the output's members, secrets withheld; `None` without output.
            fn recorded(&self) -> Option<serde_json::Value> {
                match self {
                    $( Self::$op(o) => $crate::record::Recorded::recorded(o), )*
                    Self::Empty => None,
                }
            }
        }
    };
}
