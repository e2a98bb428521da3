//! The visitor, seed and sequence access that carry the guard one level down.

use super::*;

/// A visitor whose content is checked.
pub(super) struct GuardVisitor<'s, V> {
    pub(super) visitor: V,
    pub(super) state: &'s GuardState,
    pub(super) depth: usize,
}

macro_rules! visit_forward {
    ($($method:ident($ty:ty)),* $(,)?) => {
        $(
            #[inline]
            fn $method<E: de::Error>(self, value: $ty) -> Result<V::Value, E> {
                self.visitor.$method(value)
            }
        )*
    };
}

impl<'de, V: Visitor<'de>> Visitor<'de> for GuardVisitor<'_, V> {
    type Value = V::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.visitor.expecting(f)
    }

    visit_forward!(
        visit_bool(bool),
        visit_i8(i8),
        visit_i16(i16),
        visit_i32(i32),
        visit_i64(i64),
        visit_i128(i128),
        visit_u8(u8),
        visit_u16(u16),
        visit_u32(u32),
        visit_u64(u64),
        visit_u128(u128),
        visit_char(char),
    );

    #[inline]
    fn visit_f32<E: de::Error>(self, value: f32) -> Result<V::Value, E> {
        self.state.check_float(f64::from(value))?;
        self.visitor.visit_f32(value)
    }

    #[inline]
    fn visit_f64<E: de::Error>(self, value: f64) -> Result<V::Value, E> {
        self.state.check_float(value)?;
        self.visitor.visit_f64(value)
    }

    #[inline]
    fn visit_str<E: de::Error>(self, value: &str) -> Result<V::Value, E> {
        self.state.check_string("a string", value.len())?;
        self.visitor.visit_str(value)
    }

    #[inline]
    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<V::Value, E> {
        self.state.check_string("a string", value.len())?;
        self.visitor.visit_borrowed_str(value)
    }

    #[inline]
    fn visit_string<E: de::Error>(self, value: String) -> Result<V::Value, E> {
        self.state.check_string("a string", value.len())?;
        self.visitor.visit_string(value)
    }

    #[inline]
    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<V::Value, E> {
        self.state.check_string("a byte string", value.len())?;
        self.visitor.visit_bytes(value)
    }

    #[inline]
    fn visit_borrowed_bytes<E: de::Error>(self, value: &'de [u8]) -> Result<V::Value, E> {
        self.state.check_string("a byte string", value.len())?;
        self.visitor.visit_borrowed_bytes(value)
    }

    #[inline]
    fn visit_byte_buf<E: de::Error>(self, value: Vec<u8>) -> Result<V::Value, E> {
        self.state.check_string("a byte string", value.len())?;
        self.visitor.visit_byte_buf(value)
    }

    #[inline]
    fn visit_none<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_none()
    }

    #[inline]
    fn visit_unit<E: de::Error>(self) -> Result<V::Value, E> {
        self.visitor.visit_unit()
    }

    #[inline]
    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<V::Value, D::Error> {
        self.visitor.visit_some(Guard {
            inner: deserializer,
            state: self.state,
            depth: self.depth,
        })
    }

    #[inline]
    fn visit_newtype_struct<D: Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<V::Value, D::Error> {
        self.visitor.visit_newtype_struct(Guard {
            inner: deserializer,
            state: self.state,
            depth: self.depth,
        })
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.visitor.visit_seq(GuardSeq {
            inner: seq,
            state: self.state,
            depth,
            index: 0,
        })
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.visitor.visit_map(GuardMap {
            inner: map,
            state: self.state,
            depth,
            keys: Keys::default(),
            current: None,
        })
    }

    #[inline]
    fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<V::Value, A::Error> {
        self.visitor.visit_enum(GuardEnum {
            inner: data,
            state: self.state,
            depth: self.depth,
        })
    }
}

/// A seed whose value is read through a [`Guard`].
pub(super) struct GuardSeed<'s, T> {
    pub(super) seed: T,
    pub(super) state: &'s GuardState,
    pub(super) depth: usize,
}

impl<'de, T: DeserializeSeed<'de>> DeserializeSeed<'de> for GuardSeed<'_, T> {
    type Value = T::Value;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T::Value, D::Error> {
        self.seed.deserialize(Guard {
            inner: deserializer,
            state: self.state,
            depth: self.depth,
        })
    }
}

/// The items of an array, each checked and named by its index in the path.
pub(super) struct GuardSeq<'s, A> {
    pub(super) inner: A,
    pub(super) state: &'s GuardState,
    pub(super) depth: usize,
    pub(super) index: usize,
}

impl<'de, A: SeqAccess<'de>> SeqAccess<'de> for GuardSeq<'_, A> {
    type Error = A::Error;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, A::Error> {
        let index = self.index;
        self.index += 1;
        self.inner
            .next_element_seed(GuardSeed {
                seed,
                state: self.state,
                depth: self.depth,
            })
            .inspect_err(|_| self.state.rise(|| format!("[{index}]")))
    }

    #[inline]
    fn size_hint(&self) -> Option<usize> {
        self.inner.size_hint()
    }
}
