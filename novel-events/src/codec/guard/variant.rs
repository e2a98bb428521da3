//! Enums: the variant and its content, the content guarded one level down.

use super::*;

/// An enum's variant and content, its content checked one level down.
pub(super) struct GuardEnum<'s, A> {
    pub(super) inner: A,
    pub(super) state: &'s GuardState,
    pub(super) depth: usize,
}

impl<'s, 'de, A: EnumAccess<'de>> EnumAccess<'de> for GuardEnum<'s, A> {
    type Error = A::Error;
    type Variant = GuardVariant<'s, A::Variant>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), A::Error> {
        let (value, variant) = self.inner.variant_seed(GuardSeed {
            seed,
            state: self.state,
            depth: self.depth,
        })?;
        Ok((
            value,
            GuardVariant {
                inner: variant,
                state: self.state,
                depth: self.depth,
            },
        ))
    }
}

/// The content of an enum's variant (`{"variant": content}` in JSON).
pub(super) struct GuardVariant<'s, A> {
    pub(super) inner: A,
    pub(super) state: &'s GuardState,
    pub(super) depth: usize,
}

impl<'de, A: VariantAccess<'de>> VariantAccess<'de> for GuardVariant<'_, A> {
    type Error = A::Error;

    fn unit_variant(self) -> Result<(), A::Error> {
        self.inner.unit_variant()
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.inner.newtype_variant_seed(GuardSeed {
            seed,
            state: self.state,
            depth,
        })
    }

    fn tuple_variant<V: Visitor<'de>>(self, len: usize, visitor: V) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.inner.tuple_variant(
            len,
            GuardVisitor {
                visitor,
                state: self.state,
                depth,
            },
        )
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, A::Error> {
        let depth = self.state.enter(self.depth)?;
        self.inner.struct_variant(
            fields,
            GuardVisitor {
                visitor,
                state: self.state,
                depth,
            },
        )
    }
}
