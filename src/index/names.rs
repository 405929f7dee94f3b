//! One facet value per person and organization across the whole index.
//!
//! Within an article, people and organizations are already canonical. Across articles the same
//! name can still arrive spelled differently ("José Ábalos" in one source, "Jose Abalos" in
//! another; "Muammar Gaddafi" before the alias table learnt it). The registry maps each name's
//! folded key (people: [`person_key`]; organizations: [`name_key`]) to the one display form the
//! index already uses, so every later spelling joins that value. The first form indexed wins;
//! the registry starts from the values already in the index, so this holds across runs.

use super::{NewsIndex, StoredDoc};
use crate::entities::people::person_key;
use crate::entities::text::name_key;
use crate::entities::Entity;
use crate::ner::features::QuickMap;
use crate::query::{facet_values, EntityKind};
use anyhow::Result;

#[derive(Default)]
pub struct NameRegistry {
    people: QuickMap<String, String>,
    orgs: QuickMap<String, String>,
}

impl NameRegistry {
    /// A registry holding the person and organization values of the index's last commit.
    pub fn load(index: &NewsIndex) -> Result<NameRegistry> {
        let reader = index.index.reader()?;
        let searcher = reader.searcher();
        let mut reg = NameRegistry::default();
        for (kind, map, key) in [
            (
                EntityKind::Person,
                &mut reg.people,
                person_key as fn(&str) -> String,
            ),
            (
                EntityKind::Org,
                &mut reg.orgs,
                name_key as fn(&str) -> String,
            ),
        ] {
            for f in facet_values(index, &searcher, kind)? {
                if let Some(name) = f.to_path().last() {
                    map.entry(key(name)).or_insert_with(|| name.to_string());
                }
            }
        }
        Ok(reg)
    }

    /// Rewrites the document's people and organizations to the forms the index uses, merging
    /// any two that now share a name.
    pub fn canonicalize(&mut self, doc: &mut StoredDoc) {
        fold(&mut self.people, &mut doc.entities.people, person_key);
        fold(&mut self.orgs, &mut doc.entities.orgs, name_key);
    }
}

fn fold(map: &mut QuickMap<String, String>, entities: &mut Vec<Entity>, key: fn(&str) -> String) {
    let mut out: Vec<Entity> = Vec::with_capacity(entities.len());
    for mut e in entities.drain(..) {
        let k = key(&e.name);
        if k.is_empty() {
            out.push(e);
            continue;
        }
        e.name = map.entry(k).or_insert_with(|| e.name.clone()).clone();
        match out.iter_mut().find(|o| o.name == e.name) {
            Some(o) => {
                o.mentions += e.mentions;
                for s in e.surface {
                    if !o.surface.contains(&s) {
                        o.surface.push(s);
                    }
                }
            }
            None => out.push(e),
        }
    }
    *entities = out;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::ArticleEntities;
    use crate::index::writer::Updater;

    fn person(name: &str) -> Entity {
        Entity {
            name: name.into(),
            mentions: 1,
            surface: vec![name.into()],
        }
    }

    fn doc(id: &str, people: &[&str]) -> StoredDoc {
        let entities = ArticleEntities {
            people: people.iter().map(|p| person(p)).collect(),
            ..ArticleEntities::default()
        };
        let path = format!("{id}.txt");
        crate::index::test_doc(
            id,
            format!("Title {id}"),
            "Body.",
            &path,
            format!("h-{id}"),
            entities,
        )
    }

    #[test]
    fn spellings_fold_onto_the_first_indexed_form_across_runs() {
        let index = NewsIndex::in_ram();
        let mut reg = NameRegistry::load(&index).unwrap();
        let mut a = doc("a", &["José Ábalos"]);
        reg.canonicalize(&mut a);
        let mut up = Updater::new(&index).unwrap();
        up.upsert(a).unwrap();
        up.commit().unwrap();
        up.finish().unwrap();

        // A later run, another source's spelling: folded onto the indexed value.
        let mut reg = NameRegistry::load(&index).unwrap();
        let mut b = doc("b", &["JOSE ABALOS", "Jose-Abalos", "Ann Holt"]);
        reg.canonicalize(&mut b);
        let names: Vec<(&str, u32)> = b
            .entities
            .people
            .iter()
            .map(|e| (e.name.as_str(), e.mentions))
            .collect();
        assert_eq!(names, vec![("José Ábalos", 2), ("Ann Holt", 1)]);
    }
}
