//! Who publishes what to whom, drawn as inline SVG laid out here (no script, no library):
//! publishing services on the left, events in the middle grouped by domain, subscribing
//! services on the right, a curve per publication and per subscription.
//!
//! Services are placed at the mean height of the events they touch (then pushed apart), which
//! keeps most curves short. Every node is a link; hovering over one highlights its curves
//! (CSS `:has`, rules written into the SVG's own `<style>`).

use std::collections::HashMap;
use std::fmt::Write as _;

use super::html::escape;

/// One event of the diagram, with its publisher and subscribers.
pub(super) struct Flow<'a> {
    /// The event's label (its name).
    pub event: &'a str,
    /// The link to its page.
    pub href: String,
    /// Its group (the domain), drawn as a heading above the first event of each group.
    pub group: &'a str,
    /// The link of the group's heading.
    pub group_href: String,
    /// The service that publishes it, when the catalog names one.
    pub publisher: Option<&'a str>,
    /// The services that subscribe to it.
    pub subscribers: Vec<&'a str>,
}

const ROW: f64 = 24.0;
const NODE_H: f64 = 18.0;
const CHAR_W: f64 = 7.0;
const PAD_X: f64 = 8.0;
const GAP: f64 = 140.0;
const MARGIN: f64 = 10.0;
const TOP: f64 = 40.0;

struct Node<'a> {
    id: String,
    label: &'a str,
    href: String,
    y: f64,
}

/// The SVG of `flows` (in their order), with `id` prefixing its element ids and
/// `service_href` giving each service's link. `title` is its accessible name.
pub(super) fn svg(
    id: &str,
    title: &str,
    flows: &[Flow<'_>],
    service_href: &dyn Fn(&str) -> String,
) -> String {
    // The middle column: events, with a heading row at each new group.
    let mut events: Vec<Node<'_>> = Vec::new();
    let mut groups: Vec<(&str, &str, f64)> = Vec::new();
    let mut y = TOP;
    for (index, flow) in flows.iter().enumerate() {
        if groups.last().is_none_or(|(group, ..)| *group != flow.group) {
            groups.push((flow.group, &flow.group_href, y));
            y += ROW;
        }
        events.push(Node {
            id: format!("{id}-e{index}"),
            label: flow.event,
            href: flow.href.clone(),
            y,
        });
        y += ROW;
    }
    let middle_bottom = y;

    let publishers = side(
        id,
        "p",
        flows
            .iter()
            .zip(&events)
            .filter_map(|(flow, event)| flow.publisher.map(|service| (service, event.y))),
        service_href,
    );
    let subscribers = side(
        id,
        "s",
        flows.iter().zip(&events).flat_map(|(flow, event)| {
            flow.subscribers
                .iter()
                .map(move |service| (*service, event.y))
        }),
        service_href,
    );

    let width_of = |labels: &mut dyn Iterator<Item = &str>, minimum: f64| {
        labels
            .map(|label| label.chars().count() as f64 * CHAR_W + 2.0 * PAD_X)
            .fold(minimum, f64::max)
    };
    let left_w = width_of(&mut publishers.iter().map(|node| node.label), 90.0);
    let middle_w = width_of(
        &mut events
            .iter()
            .map(|node| node.label)
            .chain(groups.iter().map(|(group, ..)| *group)),
        90.0,
    );
    let right_w = width_of(&mut subscribers.iter().map(|node| node.label), 90.0);
    let left_x = MARGIN;
    let middle_x = left_x + left_w + GAP;
    let right_x = middle_x + middle_w + GAP;
    let width = right_x + right_w + MARGIN;
    let bottom = publishers
        .iter()
        .chain(&subscribers)
        .map(|node| node.y + ROW)
        .fold(middle_bottom, f64::max);
    let height = bottom + MARGIN;

    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"diagram\" id=\"{id}\" xmlns=\"http://www.w3.org/2000/svg\" \
         width=\"{width:.0}\" height=\"{height:.0}\" viewBox=\"0 0 {width:.0} {height:.0}\" \
         role=\"img\" aria-labelledby=\"{id}-title\">\n<title id=\"{id}-title\">{}</title>\n<style>",
        escape(title)
    );
    for node in publishers.iter().chain(&events).chain(&subscribers) {
        let _ = write!(
            svg,
            "#{id}:has(#{n}:hover) .f-{n}{{stroke:var(--accent);stroke-opacity:1;stroke-width:2}}",
            n = node.id
        );
    }
    svg.push_str("</style>\n");
    for (label, x) in [
        ("Publishers", left_x),
        ("Events", middle_x),
        ("Subscribers", right_x),
    ] {
        let _ = writeln!(
            svg,
            "<text class=\"column\" x=\"{x:.0}\" y=\"{:.0}\">{label}</text>",
            TOP - ROW
        );
    }

    // Curves first, so that nodes are drawn over them.
    let index_of =
        |nodes: &[Node<'_>], label: &str| nodes.iter().position(|node| node.label == label);
    for (flow, event) in flows.iter().zip(&events) {
        if let Some(publisher) = flow
            .publisher
            .and_then(|label| index_of(&publishers, label))
        {
            let from = &publishers[publisher];
            curve(
                &mut svg,
                (left_x + left_w, from.y),
                (middle_x, event.y),
                &from.id,
                &event.id,
            );
        }
        for label in &flow.subscribers {
            if let Some(subscriber) = index_of(&subscribers, label) {
                let to = &subscribers[subscriber];
                curve(
                    &mut svg,
                    (middle_x + middle_w, event.y),
                    (right_x, to.y),
                    &event.id,
                    &to.id,
                );
            }
        }
    }
    for (group, href, y) in &groups {
        let _ = writeln!(
            svg,
            "<a href=\"{}\"><text class=\"group\" x=\"{middle_x:.0}\" y=\"{y:.0}\" dominant-baseline=\"central\">{}</text></a>",
            escape(href),
            escape(group)
        );
    }
    for (nodes, x, w, class) in [
        (&publishers, left_x, left_w, "publisher"),
        (&events, middle_x, middle_w, "event"),
        (&subscribers, right_x, right_w, "subscriber"),
    ] {
        for node in nodes {
            let _ = writeln!(
                svg,
                "<a class=\"node {class}\" id=\"{}\" href=\"{}\"><rect x=\"{x:.0}\" y=\"{:.1}\" width=\"{w:.0}\" height=\"{NODE_H:.0}\" rx=\"4\"/>\
                 <text x=\"{:.0}\" y=\"{:.1}\" dominant-baseline=\"central\">{}</text></a>",
                node.id,
                escape(&node.href),
                node.y - NODE_H / 2.0,
                x + PAD_X,
                node.y,
                escape(node.label),
            );
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// The services of one side, each at the mean height of the events it touches, in that order,
/// pushed down so that no two overlap.
fn side<'a>(
    id: &str,
    prefix: &str,
    touches: impl Iterator<Item = (&'a str, f64)>,
    service_href: &dyn Fn(&str) -> String,
) -> Vec<Node<'a>> {
    let mut order: Vec<&'a str> = Vec::new();
    let mut heights: HashMap<&'a str, (f64, f64)> = HashMap::new();
    for (service, y) in touches {
        let entry = heights.entry(service).or_insert_with(|| {
            order.push(service);
            (0.0, 0.0)
        });
        entry.0 += y;
        entry.1 += 1.0;
    }
    let mut wanted: Vec<(&'a str, f64)> = order
        .iter()
        .map(|service| {
            let (sum, count) = heights[service];
            (*service, sum / count)
        })
        .collect();
    wanted.sort_by(|a, b| a.1.total_cmp(&b.1));
    // In order of their wanted heights, each pushed below the one before.
    let mut nodes: Vec<Node<'a>> = Vec::with_capacity(wanted.len());
    let mut next = TOP;
    for (index, (service, y)) in wanted.into_iter().enumerate() {
        let y = y.max(next);
        next = y + ROW;
        nodes.push(Node {
            id: format!("{id}-{prefix}{index}"),
            label: service,
            href: service_href(service),
            y,
        });
    }
    nodes
}

fn curve(svg: &mut String, (x1, y1): (f64, f64), (x2, y2): (f64, f64), from: &str, to: &str) {
    let bend = (x2 - x1) / 2.0;
    let _ = writeln!(
        svg,
        "<path class=\"edge f-{from} f-{to}\" d=\"M{x1:.0},{y1:.1} C{:.0},{y1:.1} {:.0},{y2:.1} {x2:.0},{y2:.1}\"/>",
        x1 + bend,
        x2 - bend,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flows() -> Vec<Flow<'static>> {
        vec![
            Flow {
                event: "BookAdded",
                href: "events/a/1.html".into(),
                group: "books",
                group_href: "#domain-books".into(),
                publisher: Some("Catalog Service"),
                subscribers: vec!["Search <Index>", "Mailer"],
            },
            Flow {
                event: "BookLent",
                href: "events/b/1.html".into(),
                group: "lending",
                group_href: "#domain-lending".into(),
                publisher: Some("Catalog Service"),
                subscribers: vec!["Mailer"],
            },
        ]
    }

    #[test]
    fn every_service_and_event_is_a_linked_node_once_per_side() {
        let svg = svg("d", "flows", &flows(), &|service| {
            format!("#s-{}", service.len())
        });
        assert_eq!(svg.matches("class=\"node publisher\"").count(), 1);
        assert_eq!(svg.matches("class=\"node event\"").count(), 2);
        assert_eq!(svg.matches("class=\"node subscriber\"").count(), 2);
        assert_eq!(svg.matches("<path class=\"edge").count(), 5);
        assert!(svg.contains(">Search &lt;Index&gt;</text>"), "{svg}");
        assert!(svg.contains("href=\"#s-6\""), "{svg}");
        assert!(svg.contains(">lending</text>"), "{svg}");
    }

    #[test]
    fn services_of_one_side_never_overlap() {
        let nodes = side(
            "d",
            "s",
            [("a", 50.0), ("b", 50.0), ("c", 51.0)].into_iter(),
            &|_| String::new(),
        );
        for pair in nodes.windows(2) {
            assert!(pair[1].y - pair[0].y >= ROW, "{} {}", pair[0].y, pair[1].y);
        }
    }
}
