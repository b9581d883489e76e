#[derive(Debug, Clone, PartialEq)]
struct Task {
    title: String,
    done: bool,
}

struct Todo {
    tasks: Vec<Task>,
}

impl Todo {
    fn new() -> Self {
        Todo { tasks: Vec::new() }
    }

    fn add(&mut self, title: &str) {
        self.tasks.push(Task { title: title.to_string(), done: false });
    }

    fn finish(&mut self, title: &str) -> bool {
        for t in self.tasks.iter_mut() {
            if t.title == title {
                t.done = true;
                return true;
            }
        }
        false
    }

    fn pending(&self) -> Vec<&Task> {
        self.tasks.iter().filter(|t| !t.done).collect()
    }
}

fn main() {
    let mut todo = Todo::new();
    todo.add("write");
    todo.add("test");
    todo.finish("write");
    println!("{:?}", todo.pending());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finishing_removes_from_pending() {
        let mut t = Todo::new();
        t.add("a");
        t.add("b");
        assert!(t.finish("a"));
        assert!(!t.finish("zz"));
        assert_eq!(t.pending().len(), 1);
        assert_eq!(t.pending()[0].title, "b");
    }
}
