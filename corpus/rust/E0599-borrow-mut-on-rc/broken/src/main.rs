use std::rc::Rc;
use std::cell::RefCell;

#[derive(Debug)]
struct Node {
    value: i32,
    children: Vec<Rc<RefCell<Node>>>,
}

fn node(value: i32) -> Rc<RefCell<Node>> {
    Rc::new(RefCell::new(Node { value, children: Vec::new_empty() }))
}

fn sum(n: &Rc<RefCell<Node>>) -> i32 {
    let b = n.borrow();
    b.value + b.children.iter().map(sum).sum::<i32>()
}

fn main() {
    let root = node(1);
    let child = node(2);
    child.borrow_mut().children.push(node(3));
    root.borrow_mut().children.push(Rc::clone(&child));
    child.borrow_mut().value = 5;
    println!("{}", sum(&root));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_children() {
        let r = node(1);
        let c = node(2);
        r.borrow_mut().children.push(Rc::clone(&c));
        c.borrow_mut().value = 10;
        assert_eq!(sum(&r), 11);
    }
}
