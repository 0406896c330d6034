/// What a request is mainly about, from cheap cues. Harvesters concentrate on what a student
/// model needs (math, code, reasoning, agentic traces); the population spreads wider.
public enum Category: Int, Sendable, CaseIterable, Codable {
    case other, chat, math, code, agentic, judge

    public var name: String {
        switch self {
        case .other: return "other"
        case .chat: return "chat"
        case .math: return "math"
        case .code: return "code"
        case .agentic: return "agentic"
        case .judge: return "judge"
        }
    }
}

/// Phrases searched in prompts, all at once, in one pass over the bytes (Aho–Corasick, ASCII
/// case folded). Each phrase marks either reasoning elicitation or a category.
public struct Lexicon: Sendable {
    public enum Cue: Sendable, Equatable {
        case reasoning
        case category(Category)
    }

    /// The default lexicon: reasoning elicitation in English, Chinese, Spanish, French, German,
    /// Russian, Japanese and Korean, and category cues.
    public static let standard = Lexicon(phrases: standardPhrases)

    struct Node {
        var next: [UInt8: Int32] = [:]
        var fail: Int32 = 0
        var cues: [Cue] = []
    }
    let nodes: [Node]
    /// Dense transitions from the root, the state most bytes return to.
    let rootNext: [Int32]

    public init(phrases: [(String, Cue)]) {
        var nodes = [Node()]
        for (phrase, cue) in phrases {
            var state = 0
            for byte in phrase.utf8 {
                let b = Self.fold(byte)
                if let next = nodes[state].next[b] {
                    state = Int(next)
                } else {
                    nodes.append(Node())
                    nodes[state].next[b] = Int32(nodes.count - 1)
                    state = nodes.count - 1
                }
            }
            nodes[state].cues.append(cue)
        }
        // Breadth-first failure links.
        var queue: [Int] = []
        for (_, child) in nodes[0].next {
            nodes[Int(child)].fail = 0
            queue.append(Int(child))
        }
        var head = 0
        while head < queue.count {
            let state = queue[head]
            head += 1
            for (byte, child) in nodes[state].next {
                queue.append(Int(child))
                var fallback = Int(nodes[state].fail)
                while fallback != 0 && nodes[fallback].next[byte] == nil { fallback = Int(nodes[fallback].fail) }
                let target = nodes[fallback].next[byte].map(Int.init) ?? 0
                nodes[Int(child)].fail = Int32(target)
                // A node also ends every phrase its failure state ends (root ends none).
                nodes[Int(child)].cues += nodes[target].cues
            }
        }
        var rootNext = [Int32](repeating: 0, count: 256)
        for (byte, child) in nodes[0].next { rootNext[Int(byte)] = child }
        self.nodes = nodes
        self.rootNext = rootNext
    }

    @inline(__always) static func fold(_ byte: UInt8) -> UInt8 { (byte >= 65 && byte <= 90) ? byte | 0x20 : byte }

    /// Counts of each cue found in `text`.
    public func scan(_ text: String, into hits: inout CueHits) {
        var state = 0
        for raw in text.utf8 {
            let byte = Self.fold(raw)
            while true {
                if state == 0 {
                    state = Int(rootNext[Int(byte)])
                    break
                }
                if let next = nodes[state].next[byte] {
                    state = Int(next)
                    break
                }
                state = Int(nodes[state].fail)
            }
            if state != 0 {
                for cue in nodes[state].cues {
                    switch cue {
                    case .reasoning: hits.reasoning += 1
                    case .category(let c): hits.categories[c.rawValue] += 1
                    }
                }
            }
        }
    }
}

/// What a scan found.
public struct CueHits: Sendable {
    public var reasoning = 0
    public var categories = [Int](repeating: 0, count: Category.allCases.count)
    public init() {}
}

extension Lexicon {
    static let standardPhrases: [(String, Cue)] = {
        let reasoning = [
            // English
            "step by step", "step-by-step", "show your reasoning", "explain your reasoning", "show your work",
            "chain of thought", "chain-of-thought", "think carefully", "let's think", "let us think",
            "reason through", "walk me through", "explain each step", "show all steps", "show every step",
            "full reasoning", "detailed reasoning", "your thought process", "justify your answer",
            "reasoning process", "think through", "before answering, think", "<think>",
            // Chinese
            "一步一步", "逐步", "思考过程", "推理过程", "详细推理", "解题步骤", "展示你的推理", "详细解释",
            // Spanish
            "paso a paso", "razonamiento", "explica tu razonamiento", "muestra tu trabajo",
            // French
            "étape par étape", "raisonnement", "explique ton raisonnement", "expliquez votre raisonnement",
            // German
            "schritt für schritt", "schritt-für-schritt", "begründe", "denkprozess", "lösungsweg",
            // Russian
            "шаг за шагом", "пошагово", "рассуждени", "Шаг за шагом", "Пошагово", "ход решения",
            // Japanese
            "ステップバイステップ", "段階的に", "推論過程", "思考過程", "順を追って",
            // Korean
            "단계별로", "차근차근", "추론 과정", "단계적으로",
        ]
        let math = [
            "solve", "equation", "calculate", "compute the", "how many", "how much", "integral", "derivative",
            "probability", "prove that", "theorem", "sqrt", "x^2", "percent", "remainder", "prime number",
            "geometry", "triangle", "polynomial", "matrix", "algebra", "arithmetic", "fraction",
            "计算", "方程", "求解", "证明", "ecuación", "calcula", "équation", "gleichung", "berechne",
            "уравнение", "вычисли", "方程式", "計算", "방정식", "계산",
        ]
        let code = [
            "```", "def ", "function", "python", "javascript", "typescript", "class ", "import ", "return ",
            "compile", "stack trace", "traceback", "algorithm", "sql", "regex", "implement", "refactor",
            "unit test", "code", "bug", "golang", "rust ", "java ", "c++", "api endpoint", "json schema",
            "代码", "函数", "código", "fonction", "funktion", "функци", "コード", "코드",
        ]
        let judge = [
            "which response", "which answer", "rate the", "on a scale of", "rubric", "score from", "grade the",
            "evaluate the", "assistant a", "assistant b", "output (a)", "output (b)", "[[a]]", "[[b]]",
            "is better", "preference", "as an impartial judge", "judge the", "rating:",
        ]
        var phrases: [(String, Cue)] = reasoning.map { ($0, .reasoning) }
        phrases += math.map { ($0, .category(.math)) }
        phrases += code.map { ($0, .category(.code)) }
        phrases += judge.map { ($0, .category(.judge)) }
        return phrases
    }()
}
