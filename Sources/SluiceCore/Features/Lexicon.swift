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

    let automaton: Automaton

    public init(phrases: [(String, Cue)]) {
        automaton = Automaton(phrases: phrases)
    }

    @inline(__always) static func fold(_ byte: UInt8) -> UInt8 { (byte >= 65 && byte <= 90) ? byte | 0x20 : byte }

    /// Counts of each cue found in `text`.
    public func scan(_ text: String, into hits: inout CueHits) {
        _ = TextDigest(text, lexicon: self, hits: &hits)
    }

    /// The Aho–Corasick automaton made deterministic: one table lookup per byte, failure links
    /// folded into the table. Bytes that occur in no phrase share one column.
    ///
    /// The table (states × byte classes) is what limits the pass: at 32-bit entries the standard
    /// lexicon's is 625 KB, beyond the core's own caches, and each byte waited on a miss. Entries
    /// are 16-bit, and classes are numbered in byte order, so the ASCII columns a row is mostly
    /// read at lie together at its start.
    struct Automaton: Sendable {
        /// Byte → its column.
        let byteClass: FixedTable<UInt8>
        let classCount: Int
        /// `transitions[state × classCount + class]` is the next state, with `acceptingFlag` set
        /// when phrases end there. The root is state 0.
        let transitions: FixedTable<UInt16>
        /// Per state: 0, or an index into `cues` of the phrases that end there.
        let accepting: [UInt16]
        let cues: [[Cue]]

        static let acceptingFlag: UInt16 = 1 << 15

        init(phrases: [(String, Cue)]) {
            // A trie of the case-folded phrases.
            var children: [[UInt8: Int]] = [[:]]
            var ends: [[Cue]] = [[]]
            for (phrase, cue) in phrases {
                var state = 0
                for byte in phrase.utf8.map(Lexicon.fold) {
                    if let next = children[state][byte] {
                        state = next
                    } else {
                        children.append([:])
                        ends.append([])
                        children[state][byte] = children.count - 1
                        state = children.count - 1
                    }
                }
                ends[state].append(cue)
            }
            var byteClass = [UInt8](repeating: 0, count: 256)
            var classCount = 1
            for byte in Set(children.flatMap(\.keys)).sorted() {
                byteClass[Int(byte)] = UInt8(classCount)
                classCount += 1
            }
            for upper in UInt8(ascii: "A")...UInt8(ascii: "Z") { byteClass[Int(upper)] = byteClass[Int(upper | 0x20)] }
            precondition(
                classCount <= 256 && children.count < Int(Self.acceptingFlag), "lexicon too large for its automaton")
            // Breadth first, so that a state's failure state (shallower) has its row before it does.
            var transitions = [UInt16](repeating: 0, count: children.count * classCount)
            var fail = [Int](repeating: 0, count: children.count)
            var queue = [0]
            var head = 0
            while head < queue.count {
                let state = queue[head]
                head += 1
                for column in 0..<classCount {
                    transitions[state * classCount + column] =
                        state == 0 ? 0 : transitions[fail[state] * classCount + column]
                }
                for (byte, child) in children[state].sorted(by: { $0.key < $1.key }) {
                    let column = Int(byteClass[Int(byte)])
                    fail[child] = state == 0 ? 0 : Int(transitions[fail[state] * classCount + column])
                    // A state also ends every phrase its failure state ends.
                    ends[child] += ends[fail[child]]
                    transitions[state * classCount + column] = UInt16(child)
                    queue.append(child)
                }
            }
            var accepting = [UInt16](repeating: 0, count: children.count)
            var cues: [[Cue]] = [[]]
            for (state, list) in ends.enumerated() where !list.isEmpty {
                accepting[state] = UInt16(cues.count)
                cues.append(list)
            }
            precondition(cues.count <= Int(UInt16.max), "lexicon too large for its automaton")
            self.byteClass = FixedTable(byteClass)
            self.classCount = classCount
            self.transitions = FixedTable(
                transitions.map { next in next | (accepting[Int(next)] != 0 ? Self.acceptingFlag : 0) })
            self.accepting = accepting
            self.cues = cues
        }

        /// Matches nothing: one state, one class.
        static let empty = Automaton(phrases: [])

        /// Adds the cues of the phrases that end in `state`.
        func count(state: Int, into hits: inout CueHits) {
            for cue in cues[Int(accepting[state])] {
                switch cue {
                case .reasoning: hits.reasoning += 1
                case .category(let c): hits.categories[c.rawValue] += 1
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

    mutating func add(_ other: CueHits) {
        reasoning += other.reasoning
        for i in categories.indices { categories[i] += other.categories[i] }
    }
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
