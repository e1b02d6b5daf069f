//! Stricter reading of request bodies than serde's default: serde reads a struct from a JSON
//! array too (`{"person": [null, null]}` would be a person with two fields unset), which the
//! API's contract does not allow. Fields that hold objects use these with `deserialize_with`.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{value::MapAccessDeserializer, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

/// Reads `T` from a JSON object only; anything else is "invalid type: …, expected an object".
pub fn object<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    struct ObjectOnly<T>(PhantomData<T>);
    impl<'de, T: Deserialize<'de>> Visitor<'de> for ObjectOnly<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
            T::deserialize(MapAccessDeserializer::new(map))
        }
    }
    d.deserialize_map(ObjectOnly(PhantomData))
}

/// A `T` read with [`object`]: for a whole body, or the elements of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct Object<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        object(d).map(Object)
    }
}

/// A list whose every element is an object.
pub fn objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Vec::<Object<T>>::deserialize(d).map(|v| v.into_iter().map(|o| o.0).collect())
}

/// An optional list whose every element is an object (`null` or absent is `None`).
pub fn option_objects<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    Option::<Vec<Object<T>>>::deserialize(d)
        .map(|v| v.map(|v| v.into_iter().map(|o| o.0).collect()))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        #[serde(default)]
        a: Option<u8>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        #[serde(deserialize_with = "super::object")]
        one: Inner,
        #[serde(default, deserialize_with = "super::option_objects")]
        many: Option<Vec<Inner>>,
    }

    #[test]
    fn objects_only_where_objects_are_meant() {
        let ok: Outer =
            serde_json::from_str(r#"{"one": {"a": 1}, "many": [{}, {"a": 2}]}"#).unwrap();
        assert_eq!(ok.many.map(|m| m.len()), Some(2));
        let absent: Outer = serde_json::from_str(r#"{"one": {}}"#).unwrap();
        assert_eq!(absent.many, None);
        let null: Outer = serde_json::from_str(r#"{"one": {}, "many": null}"#).unwrap();
        assert_eq!(null.many, None);
        for bad in [
            r#"{"one": [null]}"#,
            r#"{"one": [1]}"#,
            r#"{"one": {}, "many": [[1]]}"#,
            r#"{"one": "x"}"#,
        ] {
            let e = serde_json::from_str::<Outer>(bad).unwrap_err().to_string();
            assert!(e.contains("expected an object"), "{bad}: {e}");
        }
    }
}
