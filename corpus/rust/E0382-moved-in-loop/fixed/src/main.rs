#[derive(Debug, Clone)]
struct Student {
    name: String,
    grades: Vec<u32>,
}

impl Student {
    fn average(&self) -> f64 {
        if self.grades.is_empty() {
            return 0.0;
        }
        self.grades.iter().sum::<u32>() as f64 / self.grades.len() as f64
    }
}

fn best(students: &[Student]) -> Option<&Student> {
    students.iter().max_by(|a, b| a.average().partial_cmp(&b.average()).unwrap())
}

fn names(students: &[Student]) -> Vec<String> {
    students.iter().map(|s| s.name.clone()).collect()
}

fn main() {
    let class = vec![
        Student { name: "ann".into(), grades: vec![90, 80] },
        Student { name: "ben".into(), grades: vec![70] },
    ];
    let top = best(&class).map(|s| s.name.clone()).unwrap_or_default();
    let all = names(&class);
    let mut roster = Vec::new();
    for s in &class {
        roster.push(s.clone());
    }
    println!("{top} {:?} {}", all, roster.len());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn averages() {
        let s = vec![Student { name: "x".into(), grades: vec![1, 3] }, Student { name: "y".into(), grades: vec![] }];
        assert_eq!(s[0].average(), 2.0);
        assert_eq!(best(&s).unwrap().name, "x");
        assert_eq!(names(&s), vec!["x", "y"]);
    }
}
