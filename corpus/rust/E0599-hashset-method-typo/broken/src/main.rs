use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct Edge(u32, u32);

fn neighbours(edges: &[Edge]) -> HashMap<u32, Vec<u32>> {
    let mut m: HashMap<u32, Vec<u32>> = HashMap::new();
    for Edge(a, b) in edges {
        m.entry(*a).or_default().push(*b);
        m.entry(*b).or_default().push(*a);
    }
    m
}

fn reachable(edges: &[Edge], from: u32) -> HashSet<u32> {
    let adj = neighbours(edges);
    let mut seen = HashSet::new();
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        if !seen.add(n) {
            continue;
        }
        for &m in adj.get(&n).map(|v| v.as_slice()).unwrap_or(&[]) {
            stack.push(m);
        }
    }
    seen
}

fn main() {
    let edges = vec![Edge(1, 2), Edge(2, 3), Edge(4, 5)];
    let unique: HashSet<Edge> = edges.iter().cloned().collect();
    let mut r: Vec<u32> = reachable(&edges, 1).into_iter().collect();
    r.sort();
    println!("{:?} {}", r, unique.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks() {
        let e = vec![Edge(1, 2), Edge(3, 4)];
        let r = reachable(&e, 2);
        assert!(r.contains(&1) && r.contains(&2) && !r.contains(&3));
    }
}
