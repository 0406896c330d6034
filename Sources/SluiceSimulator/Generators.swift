import Foundation

/// What every hydra member shares: one system prompt (never paraphrased), one client, one address block, one schedule
/// and one prompt set that the members split between them.
struct HydraPlan: Sendable {
    var systemPrompt: JSONText
    var userAgent: String
    var addressBlock: String
    var memberCount: Int
    var requestsPerDay: Double
    var pivotDelayHours: Double
    var promptSequence: DistinctPromptSequence
}

/// Produces the requests of one account from its plan. Each account draws from its own random stream, so accounts do
/// not change when others are added.
struct TrafficGenerator {
    let clock: SimulationClock
    let text: PreparedText
    let hydra: HydraPlan
    let seed: UInt64

    static let currentModel = "gpt-frontier-1"
    static let newModel = "gpt-frontier-2"
    static let smallModel = "gpt-frontier-1-mini"

    func requests(for plan: AccountPlan) -> [SimulatedRequest] {
        var random = SimulationRandom(seed: seed, 0xACC, UInt64(plan.index))
        var requests: [SimulatedRequest]
        switch plan.persona {
        case .chatUser: requests = chatUser(plan, &random)
        case .codingAssistant: requests = codingAssistant(plan, &random)
        case .codingAgent: requests = codingAgent(plan, &random)
        case .evalHarness: requests = evalHarness(plan, &random)
        case .llmJudge: requests = llmJudge(plan, &random)
        case .batchClassifier: requests = batchClassifier(plan, &random)
        case .ragApp: requests = ragApp(plan, &random)
        case .summarizer: requests = summarizer(plan, &random)
        case .instructionHarvester: requests = instructionHarvester(plan, &random)
        case .reasoningHarvester: requests = reasoningHarvester(plan, &random)
        case .codeHarvester: requests = codeHarvester(plan, &random)
        case .logprobHarvester: requests = logprobHarvester(plan, &random)
        case .hydra: requests = hydraMember(plan, &random)
        case .slowAndLow: requests = slowAndLow(plan, &random)
        case .reseller: requests = reseller(plan, &random)
        case .adaptive: requests = adaptive(plan, &random)
        }
        return RateLimiter.apply(to: requests, plan: plan, &random).filter { $0.startMicros < clock.endMicros }
    }

    // MARK: Shared building blocks

    /// Where and how a request leaves the client.
    struct Origin {
        var ipAddress: String
        var userAgent: String
        var keyIndex: Int = 0
        var endUser: String? = nil
    }

    private func origin(_ plan: AccountPlan, _ random: inout SimulationRandom) -> Origin {
        Origin(
            ipAddress: random.pick(plan.ipAddresses), userAgent: random.pick(plan.userAgents),
            keyIndex: random.index(plan.keyHashes.count))
    }

    /// Moves a share of traffic to the new model some hours after its release.
    private func model(
        at time: Int64, base: String, adoption: Double, delayHours: Double,
        _ random: inout SimulationRandom
    ) -> String {
        let switchTime = clock.newModelReleaseMicros + SimulationClock.micros(seconds: delayHours * 3_600)
        return time >= switchTime && random.chance(adoption) ? Self.newModel : base
    }

    private func choice(
        _ random: inout SimulationRandom, medianTokens: Double, spread: Double, maxTokens: Int?,
        previews: [JSONText]
    ) -> CompletionChoice {
        var tokens = max(1, Int(random.logNormal(median: medianTokens, spread: spread)))
        var finishReason = "stop"
        if let maxTokens, tokens >= maxTokens {
            tokens = maxTokens
            finishReason = "length"
        }
        return CompletionChoice(finishReason: finishReason, content: random.pick(previews), tokens: tokens)
    }

    private func choices(
        _ count: Int, _ random: inout SimulationRandom, medianTokens: Double, spread: Double,
        maxTokens: Int?, previews: [JSONText]
    ) -> [CompletionChoice] {
        (0..<max(1, count)).map { _ in
            choice(&random, medianTokens: medianTokens, spread: spread, maxTokens: maxTokens, previews: previews)
        }
    }

    private func make(
        _ plan: AccountPlan, at time: Int64, origin: Origin, model: String, messages: [ChatMessage],
        parameters: RequestParameters, choices: [CompletionChoice],
        _ random: inout SimulationRandom
    ) -> SimulatedRequest {
        let longest = choices.map(\.tokens).max() ?? 1
        let seconds = random.double(0.25...1.2) + Double(longest) / random.double(55...95)
        return SimulatedRequest(
            startMicros: time, latencyMicros: SimulationClock.micros(seconds: seconds), accountIndex: plan.index,
            keyIndex: origin.keyIndex, endUser: origin.endUser, ipAddress: origin.ipAddress,
            userAgent: origin.userAgent, model: model, messages: messages, parameters: parameters,
            outcome: .success(choices))
    }

    /// One human conversation: each turn resends the whole history, with a pause to read and type in between.
    private func conversation(
        _ plan: AccountPlan, startingAt start: Int64, origin: Origin, system: JSONText?,
        maxTurns: Int, adoption: Double, _ random: inout SimulationRandom
    ) -> [SimulatedRequest] {
        var turns: [JSONText]
        let style = random.unit()
        if style < 0.55, !text.dialogues.isEmpty {
            turns = random.pick(text.dialogues)
        } else if style < 0.7 {
            turns = [random.pick(text.roleplay)] + (0..<random.int(0...3)).map { _ in random.pick(text.followUps) }
        } else {
            turns = [random.pick(text.chatPrompts)] + (0..<random.int(0...3)).map { _ in random.pick(text.followUps) }
        }
        turns = Array(turns.prefix(maxTurns))
        let model = model(
            at: start, base: Self.currentModel, adoption: adoption, delayHours: random.double(0...10),
            &random)
        var history: [ChatMessage] = system.map { [ChatMessage.system($0)] } ?? []
        var time = start
        var requests: [SimulatedRequest] = []
        for turn in turns {
            history.append(.user(turn))
            let answer = choice(&random, medianTokens: 260, spread: 0.7, maxTokens: nil, previews: text.chatAnswers)
            let request = make(
                plan, at: time, origin: origin, model: model, messages: history,
                parameters: RequestParameters(stream: true), choices: [answer], &random)
            requests.append(request)
            history.append(.assistant(answer.content ?? .empty))
            time += request.latencyMicros + SimulationClock.micros(seconds: 12 + random.exponential(mean: 75))
        }
        return requests
    }

    // MARK: Benign personas

    private func chatUser(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let sessions = clock.arrivals(
            &random, perDay: plan.requestsPerDay / 3, profile: .human,
            utcOffsetHours: plan.utcOffsetHours, dayToDayVariation: 0.4)
        let usesSystemPrompt = random.chance(0.3)
        let system = JSONText("You are a helpful assistant. Today's date is 2026-11-0\(random.int(1...2)).")
        return sessions.flatMap { start in
            conversation(
                plan, startingAt: start, origin: origin(plan, &random),
                system: usesSystemPrompt ? system : nil, maxTurns: 6, adoption: 0.35, &random)
        }
    }

    private func codingAssistant(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let system = JSONText(
            random.pick([
                "You are an AI programming assistant inside the user's editor. Be concise. Use Markdown code blocks.",
                "You are a coding assistant. Follow the user's requirements carefully. Keep answers short and only "
                    + "change what is needed.",
            ]) + " The user's workspace uses \(random.pick(["Python 3.12", "TypeScript 5.6", "Go 1.23", "Swift 6"])).")
        let asks = [
            "Why does this return the wrong result when the input is empty?", "Add type hints and a docstring.",
            "Write unit tests for this.", "Refactor this to be more readable.", "Explain this code.",
            "This raises an IndexError on some inputs. What is wrong?", "Can you make this faster?",
        ].map { JSONText($0) }
        let starts = clock.arrivals(
            &random, perDay: plan.requestsPerDay / 2, profile: .workday,
            utcOffsetHours: plan.utcOffsetHours)
        var requests: [SimulatedRequest] = []
        for start in starts {
            let source = origin(plan, &random)
            let model = model(
                at: start, base: Self.currentModel, adoption: 0.5, delayHours: random.double(2...20),
                &random)
            var history: [ChatMessage] = [.system(system)]
            if random.chance(0.6) {
                history.append(.user(JSONText.join([random.pick(asks), "\n\n```\n", random.pick(text.code), "```"])))
            } else {
                history.append(.user(random.pick(text.codingRequests)))
            }
            var time = start
            for _ in 0..<random.int(1...3) {
                let parameters = RequestParameters(temperature: 0.1, maxTokens: 4_096, stream: true)
                let answer = choice(
                    &random, medianTokens: 320, spread: 0.6, maxTokens: 4_096,
                    previews: text.codeAnswers)
                let request = make(
                    plan, at: time, origin: source, model: model, messages: history,
                    parameters: parameters, choices: [answer], &random)
                requests.append(request)
                history.append(.assistant(answer.content ?? .empty))
                history.append(
                    .user(
                        random.pick(
                            [
                                "That still fails on the last test case.", "Thanks, can you also handle None?",
                                "ok, shorter please", "What about thread safety?", "Now add logging.",
                            ].map { JSONText($0) })))
                time += request.latencyMicros + SimulationClock.micros(seconds: 20 + random.exponential(mean: 90))
            }
        }
        return requests
    }

    private static let agentTools: [UInt8] = Array(
        """
        [{"type":"function","function":{"name":"read_file","description":"Read a file from the repository.",\
        "parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}},\
        {"type":"function","function":{"name":"write_file","description":"Replace the contents of a file.",\
        "parameters":{"type":"object","properties":{"path":{"type":"string"},"content":{"type":"string"}},\
        "required":["path","content"]}}},{"type":"function","function":{"name":"run_command","description":\
        "Run a shell command in the sandbox and return its output.","parameters":{"type":"object","properties":\
        {"command":{"type":"string"}},"required":["command"]}}},{"type":"function","function":{"name":"search",\
        "description":"Search the repository for a regular expression.","parameters":{"type":"object",\
        "properties":{"pattern":{"type":"string"}},"required":["pattern"]}}}]
        """.utf8)

    private func codingAgent(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let system = JSONText(
            """
            You are an autonomous software engineering agent working in a sandboxed checkout of the user's \
            repository. Use the tools to inspect files, make minimal edits and run the test suite. Always read a \
            file before editing it. Prefer small, reviewable changes. When the task is complete and the tests pass, \
            reply with a short summary of what you changed and why. Do not invent file contents; if something is \
            unclear, search the repository first. Repository: \(random.pick(["billing-service", "web-frontend",
            "data-pipeline", "mobile-api", "infra-tools"]))-\(random.hex(4)).
            """)
        let files = [
            "src/app.py", "src/utils/dates.py", "tests/test_api.py", "src/models/user.py", "README.md",
            "src/handlers/orders.py", "pyproject.toml", "src/cache.py", "tests/test_cache.py",
        ]
        let commands = ["pytest -q", "pytest tests/test_api.py -q", "ruff check .", "git diff --stat", "mypy src"]
        let testOutputs = [
            "..F.....\nFAILED tests/test_api.py::test_pagination - AssertionError: 20 != 25\n"
                + "1 failed, 7 passed in 0.84s",
            "........\n8 passed in 0.71s",
            "src/cache.py:41:5: F841 local variable 'stale' is assigned to but never used",
            " src/app.py | 12 ++++++++----\n 1 file changed, 8 insertions(+), 4 deletions(-)",
            "Success: no issues found in 23 source files",
        ]
        let averageSteps = 10.0
        let starts = clock.arrivals(
            &random, perDay: plan.requestsPerDay / averageSteps, profile: .mixed,
            utcOffsetHours: plan.utcOffsetHours)
        var requests: [SimulatedRequest] = []
        for start in starts {
            let source = origin(plan, &random)
            let model = model(
                at: start, base: Self.currentModel, adoption: 0.4, delayHours: random.double(4...24),
                &random)
            let task: JSONText =
                random.chance(0.5)
                ? random.pick(text.codingRequests)
                : JSONText("Fix the failing test in tests/test_api.py. The function under test is:\n\n")
                    + String(random.pick(text.pools.codeProblems.isEmpty ? [""] : text.pools.codeProblems).prefix(500))
                    .asJSONText
            var history: [ChatMessage] = [.system(system), .user(task)]
            var time = start
            let steps = random.int(3...18)
            let parameters = RequestParameters(temperature: 0, maxTokens: 8_192, tools: Self.agentTools)
            for step in 0..<steps {
                let isLast = step == steps - 1
                var answer: CompletionChoice
                var call: ToolCall? = nil
                if isLast {
                    answer = choice(
                        &random, medianTokens: 180, spread: 0.5, maxTokens: 8_192,
                        previews: text.chatAnswers)
                } else {
                    let callID = "call_" + random.hex(24)
                    let kind = random.index(4)
                    let arguments: String
                    switch kind {
                    case 0: arguments = "{\"path\": \"\(random.pick(files))\"}"
                    case 1: arguments = "{\"command\": \"\(random.pick(commands))\"}"
                    case 2: arguments = "{\"pattern\": \"def \(random.pick(["parse", "load", "paginate", "get_"]))\"}"
                    default: arguments = "{\"path\": \"\(random.pick(files))\", \"content\": \"...\"}"
                    }
                    let name = ["read_file", "run_command", "search", "write_file"][kind]
                    call = ToolCall(id: callID, name: name, arguments: JSONText(arguments))
                    answer = CompletionChoice(
                        finishReason: "tool_calls", content: nil, toolCalls: [call!],
                        tokens: random.int(18...160))
                }
                let request = make(
                    plan, at: time, origin: source, model: model, messages: history,
                    parameters: parameters, choices: [answer], &random)
                requests.append(request)
                guard let call else { break }
                history.append(ChatMessage(role: .assistant, content: nil, toolCalls: [call]))
                let result: JSONText =
                    call.name == "run_command"
                    ? JSONText(random.pick(testOutputs))
                    : String(
                        random.pick(text.pools.codeProblems.isEmpty ? ["pass"] : text.pools.codeProblems)
                            .prefix(350)
                    ).asJSONText
                history.append(ChatMessage(role: .tool, content: result, toolCallID: call.id))
                time += request.latencyMicros + SimulationClock.micros(seconds: random.double(0.5...12))
            }
        }
        return requests
    }

    private enum BenchmarkItem {
        case math(Int), code(Int), multiTurn(Int), generation(Int)
    }

    private func evalHarness(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        // Public benchmarks are the same for everyone: suites take the first items of each pool, in order.
        var suite: [BenchmarkItem] = []
        let mathCount = min(text.math.count, [400, 250, 300][plan.ordinal % 3])
        suite += (0..<mathCount).map(BenchmarkItem.math)
        suite += (0..<min(text.code.count, 164)).map(BenchmarkItem.code)
        if plan.ordinal % 3 != 0 { suite += (0..<min(text.benchmark.count, 80)).map(BenchmarkItem.multiTurn) }
        if plan.ordinal % 3 == 2 { suite += (0..<min(text.instructions.count, 300)).map(BenchmarkItem.generation) }
        let zeroShot = plan.ordinal % 2 == 1
        let source = origin(plan, &random)

        var requests: [SimulatedRequest] = []
        for day in 0..<clock.days {
            let runs = random.int(1...2)
            for run in 0..<runs {
                // Runs start in office hours (or at night for a CI-driven harness) and go as fast as the client allows.
                let localHour = plan.ordinal % 3 == 1 ? random.double(1...4) : random.double(9...17)
                var time =
                    clock.startMicros + Int64(day) * SimulationClock.microsPerDay
                    + SimulationClock.micros(
                        seconds: (localHour - Double(plan.utcOffsetHours) + 24)
                            .truncatingRemainder(dividingBy: 24) * 3_600)
                let afterRelease = time >= clock.newModelReleaseMicros
                let model =
                    afterRelease && run == 0
                    ? Self.newModel
                    : (random.chance(0.2) ? Self.smallModel : Self.currentModel)
                for item in suite {
                    var messages: [ChatMessage]
                    var parameters: RequestParameters
                    var answers: [CompletionChoice]
                    switch item {
                    case .math(let index):
                        let question = text.math[index]
                        messages =
                            zeroShot
                            ? [.user(JSONText.join(["Q: ", question, "\nA: Let's think step by step."]))]
                            : [.user(JSONText.join([text.fewShotBlock, "Q: ", question, "\nA:"]))]
                        parameters = RequestParameters(temperature: 0, maxTokens: 512)
                        answers = choices(
                            1, &random, medianTokens: 170, spread: 0.4, maxTokens: 512,
                            previews: text.mathAnswers)
                    case .code(let index):
                        messages = [
                            .user(
                                JSONText.join([
                                    "Complete the following Python function.\n\n```python\n",
                                    text.code[index], "```",
                                ]))
                        ]
                        parameters = RequestParameters(temperature: 0.2, maxTokens: 768, n: 5)
                        answers = choices(
                            5, &random, medianTokens: 130, spread: 0.5, maxTokens: 768,
                            previews: text.codeAnswers)
                    case .multiTurn(let index):
                        let turns = text.benchmark[index]
                        messages = [.user(turns[0])]
                        if turns.count > 1 {
                            let first = make(
                                plan, at: time, origin: source, model: model, messages: messages,
                                parameters: RequestParameters(temperature: 0.7, maxTokens: 1_024),
                                choices: [
                                    choice(
                                        &random, medianTokens: 420, spread: 0.4,
                                        maxTokens: 1_024, previews: text.proseAnswers)
                                ],
                                &random)
                            requests.append(first)
                            time += SimulationClock.micros(seconds: random.exponential(mean: 0.4))
                            messages += [.assistant(random.pick(text.proseAnswers)), .user(turns[1])]
                        }
                        parameters = RequestParameters(temperature: 0.7, maxTokens: 1_024)
                        answers = choices(
                            1, &random, medianTokens: 380, spread: 0.4, maxTokens: 1_024,
                            previews: text.proseAnswers)
                    case .generation(let index):
                        messages = [.user(text.instructions[index])]
                        parameters = RequestParameters(temperature: 0.7, maxTokens: 2_048)
                        answers = choices(
                            1, &random, medianTokens: 520, spread: 0.5, maxTokens: 2_048,
                            previews: text.proseAnswers)
                    }
                    requests.append(
                        make(
                            plan, at: time, origin: source, model: model, messages: messages,
                            parameters: parameters, choices: answers, &random))
                    time += SimulationClock.micros(seconds: random.exponential(mean: 0.35))
                }
            }
        }
        return requests
    }

    private func llmJudge(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        guard !text.judgePrompts.isEmpty else { return [] }
        let source = origin(plan, &random)
        let itemsPerRun = min(text.judgePrompts.count, [805, 400, 600][plan.ordinal % 3])
        let useSystemPrompt = text.judgeSystem.rawByteCount > 0
        var requests: [SimulatedRequest] = []
        for day in 0..<clock.days {
            for _ in 0..<random.int(1...2) {
                let localHour = random.double(8...20)
                var time =
                    clock.startMicros + Int64(day) * SimulationClock.microsPerDay
                    + SimulationClock.micros(
                        seconds: (localHour - Double(plan.utcOffsetHours) + 24)
                            .truncatingRemainder(dividingBy: 24) * 3_600)
                for index in 0..<itemsPerRun {
                    let prompt = text.judgePrompts[index]
                    let messages: [ChatMessage] =
                        useSystemPrompt
                        ? [.system(text.judgeSystem), .user(prompt)]
                        : [.user(prompt)]
                    let parameters = RequestParameters(
                        temperature: plan.ordinal % 2 == 0 ? 1 : 0, maxTokens: 1,
                        logprobs: true, topLogprobs: 5)
                    // One token and cut off by max_tokens: finish_reason is "length", as the real API reports.
                    let verdict = CompletionChoice(
                        finishReason: "length", content: random.pick(text.judgeVerdicts),
                        tokens: 1)
                    requests.append(
                        make(
                            plan, at: time, origin: source, model: Self.currentModel, messages: messages,
                            parameters: parameters, choices: [verdict], &random))
                    time += SimulationClock.micros(seconds: random.exponential(mean: 0.25))
                }
            }
        }
        return requests
    }

    private func batchClassifier(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        guard !text.classifierPrompts.isEmpty else { return [] }
        let task = plan.ordinal % text.classifierPrompts.count
        let prompts = text.classifierPrompts[task]
        let maxTokens = random.pick([5, 8, 10])
        let times = clock.arrivals(
            &random, perDay: plan.requestsPerDay, profile: .flat,
            utcOffsetHours: 0, dayToDayVariation: 0.05)
        let offset = random.index(prompts.count)
        let source = origin(plan, &random)
        return times.enumerated().map { position, time in
            // Mostly new inputs, with the odd re-queued item.
            let index = random.chance(0.03) ? random.index(prompts.count) : (offset + position) % prompts.count
            let label = CompletionChoice(
                finishReason: "stop", content: text.classifierLabel(task: task, &random),
                tokens: random.int(1...3))
            return make(
                plan, at: time, origin: source, model: Self.smallModel, messages: [.user(prompts[index])],
                parameters: RequestParameters(temperature: 0, maxTokens: maxTokens), choices: [label], &random)
        }
    }

    private func ragApp(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let company = ["Northwind", "Brightleaf", "Cedarline", "Harborview", "Summitworks"][plan.ordinal % 5]
        let header = JSONText(
            "You are the customer support assistant for \(company). Answer the customer's "
                + "question using only the context below. If the answer is not in the context, say you don't know "
                + "and offer to connect them with a human agent. Be friendly and concise.\n\nContext:\n")
        let customers = (0..<random.int(300...1_500)).map { _ in "cust-" + random.hex(10) }
        let stream = random.chance(0.5)
        let times = clock.arrivals(
            &random, perDay: plan.requestsPerDay / 1.2, profile: .human,
            utcOffsetHours: plan.utcOffsetHours)
        var requests: [SimulatedRequest] = []
        for start in times {
            var source = origin(plan, &random)
            // A few customers ask most questions.
            source.endUser = customers[Int(Double(customers.count) * pow(random.unit(), 2.2))]
            let context = JSONText.join([header, random.pick(text.passages), "\n\n", random.pick(text.passages)])
            var history: [ChatMessage] = [.system(context), .user(random.pick(text.questions))]
            let model = random.chance(0.65) ? Self.smallModel : Self.currentModel
            var time = start
            for _ in 0..<(random.chance(0.2) ? 2 : 1) {
                let answer = choice(&random, medianTokens: 150, spread: 0.5, maxTokens: 600, previews: text.chatAnswers)
                let request = make(
                    plan, at: time, origin: source, model: model, messages: history,
                    parameters: RequestParameters(temperature: 0.2, maxTokens: 600, stream: stream),
                    choices: [answer], &random)
                requests.append(request)
                history += [.assistant(answer.content ?? .empty), .user(random.pick(text.followUps))]
                time += request.latencyMicros + SimulationClock.micros(seconds: 10 + random.exponential(mean: 50))
            }
        }
        return requests
    }

    private func summarizer(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let instruction = JSONText(
            random.pick([
                "Summarize the following text in 3 bullet points for an internal newsletter:\n\n",
                "Write a two-sentence summary of this document. Mention any numbers that matter.\n\n",
                "TL;DR the following for a busy executive (max 60 words):\n\n",
            ]))
        let times = clock.arrivals(
            &random, perDay: plan.requestsPerDay, profile: .mixed,
            utcOffsetHours: plan.utcOffsetHours)
        let source = origin(plan, &random)
        let model = plan.ordinal % 2 == 0 ? Self.currentModel : Self.smallModel
        return times.map { time in
            let answer = choice(&random, medianTokens: 110, spread: 0.4, maxTokens: 300, previews: text.chatAnswers)
            return make(
                plan, at: time, origin: source, model: model,
                messages: [.user(instruction + random.pick(text.documents))],
                parameters: RequestParameters(temperature: 0.3, maxTokens: 300), choices: [answer], &random)
        }
    }

    // MARK: Attack personas

    /// A harvesting stream: distinct prompts, one question and one long answer each, around the clock.
    private func harvest(
        _ plan: AccountPlan, times: [Int64], prompts: (Int) -> JSONText, system: (Int) -> JSONText?,
        parameters: (inout SimulationRandom) -> RequestParameters, medianTokens: Double,
        previews: [JSONText], adoption: Double, pivotDelayHours: Double,
        origin pickOrigin: (inout SimulationRandom) -> Origin,
        _ random: inout SimulationRandom
    ) -> [SimulatedRequest] {
        times.enumerated().map { position, time in
            let requestParameters = parameters(&random)
            var messages: [ChatMessage] = []
            if let systemPrompt = system(position) { messages.append(.system(systemPrompt)) }
            messages.append(.user(prompts(position)))
            let answers = choices(
                requestParameters.n ?? 1, &random, medianTokens: medianTokens, spread: 0.55,
                maxTokens: requestParameters.maxTokens, previews: previews)
            let model = model(
                at: time, base: Self.currentModel, adoption: adoption, delayHours: pivotDelayHours,
                &random)
            return make(
                plan, at: time, origin: pickOrigin(&random), model: model, messages: messages,
                parameters: requestParameters, choices: answers, &random)
        }
    }

    private func instructionHarvester(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let sequence = DistinctPromptSequence(
            bases: text.instructions, mutations: Mutations.instruction,
            random: &random)
        let system: JSONText? =
            random.chance(0.5)
            ? nil
            : JSONText(
                random.pick([
                    "You are a helpful, knowledgeable assistant. Give complete, detailed and well-structured answers.",
                    "You are an expert assistant. Answer thoroughly and accurately.",
                ]))
        let maxTokens = random.pick([2_048, 4_096])
        let temperature = random.pick([0.7, 0.8, 1.0])
        let times = clock.arrivals(&random, perDay: plan.requestsPerDay, profile: .flat, utcOffsetHours: 0)
        return harvest(
            plan, times: times, prompts: sequence.prompt, system: { _ in system },
            parameters: { _ in RequestParameters(temperature: temperature, maxTokens: maxTokens) },
            medianTokens: Double(maxTokens) * 0.5, previews: text.proseAnswers, adoption: 0.92,
            pivotDelayHours: random.double(1...6), origin: { origin(plan, &$0) }, &random)
    }

    private static let reasoningSystemPrompts = [
        "You are an expert mathematician. Think step by step and show all of your reasoning before giving the final "
            + "answer.",
        "你是一名数学专家。请一步一步地思考，详细写出完整的推理过程，最后给出答案。",
        "Eres un experto en matemáticas. Razona paso a paso y muestra todo tu razonamiento antes de dar la respuesta "
            + "final.",
    ]

    /// Math problems in a shuffled order; once the pool is used up, new problems of the same shape.
    private func mathSequence(_ random: inout SimulationRandom) -> (Int) -> JSONText {
        let order = random.shuffled(Array(text.math.indices))
        let perturbationSeed = random.next()
        let sources = text.mathSource
        return { position in
            let index = order[position % order.count]
            if position < order.count { return self.text.math[index] }
            var local = SimulationRandom(seed: perturbationSeed, UInt64(position))
            let mutation = Mutations.math[(position / order.count) % Mutations.math.count]
            return mutation.apply(JSONText(Mutations.perturbNumbers(sources[index], &local)))
        }
    }

    private func reasoningHarvester(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let system = JSONText(Self.reasoningSystemPrompts[plan.ordinal % Self.reasoningSystemPrompts.count])
        let samples = random.pick([4, 8])
        let temperature = random.pick([0.8, 0.9, 1.0])
        let times = clock.arrivals(&random, perDay: plan.requestsPerDay, profile: .flat, utcOffsetHours: 0)
        return harvest(
            plan, times: times, prompts: mathSequence(&random), system: { _ in system },
            parameters: { _ in RequestParameters(temperature: temperature, maxTokens: 8_192, n: samples) },
            medianTokens: 700, previews: text.mathAnswers, adoption: 0.9,
            pivotDelayHours: random.double(1...8), origin: { origin(plan, &$0) }, &random)
    }

    private func codeHarvester(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let sequence = DistinctPromptSequence(bases: text.codeTasks, mutations: Mutations.code, random: &random)
        let system = JSONText(
            "You are a senior software engineer. Write complete, production-quality code and explain "
                + "how it works.")
        let times = clock.arrivals(&random, perDay: plan.requestsPerDay, profile: .flat, utcOffsetHours: 0)
        return harvest(
            plan, times: times, prompts: sequence.prompt, system: { _ in system },
            parameters: { _ in RequestParameters(temperature: 0.6, maxTokens: 4_096) },
            medianTokens: 1_300, previews: text.codeAnswers, adoption: 0.9,
            pivotDelayHours: random.double(1...6), origin: { origin(plan, &$0) }, &random)
    }

    private func logprobHarvester(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let sequence = DistinctPromptSequence(
            bases: text.openPrompts,
            mutations: Mutations.instruction, random: &random)
        let times = clock.arrivals(&random, perDay: plan.requestsPerDay, profile: .flat, utcOffsetHours: 0)
        return harvest(
            plan, times: times, prompts: sequence.prompt, system: { _ in nil },
            parameters: { _ in
                RequestParameters(temperature: 1.0, maxTokens: 2_048, logprobs: true, topLogprobs: 20)
            },
            medianTokens: 900, previews: text.proseAnswers, adoption: 0.85,
            pivotDelayHours: random.double(2...10), origin: { origin(plan, &$0) }, &random)
    }

    private func hydraMember(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        // The shared schedule: one timetable for the whole hydra, with each member taking its share of the slots.
        var shared = SimulationRandom(seed: seed, 0x4D7A)
        let allSlots = clock.arrivals(
            &shared, perDay: hydra.requestsPerDay * Double(hydra.memberCount),
            profile: .flat, utcOffsetHours: 0, dayToDayVariation: 0.05)
        let member = plan.ordinal
        let times = stride(from: member, to: allSlots.count, by: hydra.memberCount).map { allSlots[$0] }
        let memberOrigin = Origin(ipAddress: plan.ipAddresses[0], userAgent: hydra.userAgent)
        return times.enumerated().map { position, time in
            // Member m sends prompts m, m + M, m + 2M, ... of the one shared sequence.
            let prompt = hydra.promptSequence.prompt(position * hydra.memberCount + member)
            let parameters = RequestParameters(temperature: 0.9, maxTokens: 4_096)
            let answers = choices(
                1, &random, medianTokens: 1_400, spread: 0.5, maxTokens: 4_096,
                previews: text.proseAnswers)
            let switchTime =
                clock.newModelReleaseMicros
                + SimulationClock.micros(seconds: hydra.pivotDelayHours * 3_600)
            let model = time >= switchTime ? Self.newModel : Self.currentModel
            return make(
                plan, at: time, origin: memberOrigin, model: model,
                messages: [.system(hydra.systemPrompt), .user(prompt)], parameters: parameters,
                choices: answers, &random)
        }
    }

    /// Mixed harvesting prompts (instructions, math, code) for accounts that spread their interest.
    private func mixedSequence(_ random: inout SimulationRandom) -> (Int) -> JSONText {
        let instructions = DistinctPromptSequence(
            bases: text.instructions, mutations: Mutations.instruction,
            random: &random)
        let code = DistinctPromptSequence(
            bases: text.codeTasks, mutations: Mutations.code,
            random: &random)
        let math = mathSequence(&random)
        return { position in
            switch position % 3 {
            case 0: return instructions.prompt(position / 3)
            case 1: return math(position / 3)
            default: return code.prompt(position / 3)
            }
        }
    }

    private func slowAndLow(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let prompts = mixedSequence(&random)
        let times = clock.arrivals(
            &random, perDay: plan.requestsPerDay, profile: .flat, utcOffsetHours: 0,
            dayToDayVariation: 0.3)
        return harvest(
            plan, times: times, prompts: prompts, system: { _ in nil },
            parameters: { _ in RequestParameters(temperature: 0.8, maxTokens: 4_096) },
            medianTokens: 1_600, previews: text.proseAnswers, adoption: 0.8,
            pivotDelayHours: random.double(4...16), origin: { origin(plan, &$0) }, &random)
    }

    private func reseller(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let endUsers = (0..<random.int(50...70)).map { _ in "usr_" + random.hex(12) }
        let harvesterCount = max(1, Int((Double(endUsers.count) * 0.2).rounded()))
        var requests: [SimulatedRequest] = []
        for (position, endUser) in endUsers.enumerated() {
            var source = origin(plan, &random)
            source.endUser = endUser
            if position < harvesterCount {
                let prompts = mixedSequence(&random)
                let times = clock.arrivals(
                    &random, perDay: random.double(80...250), profile: .flat,
                    utcOffsetHours: 0, dayToDayVariation: 0.2)
                let maxTokens = random.pick([2_048, 4_096])
                requests += harvest(
                    plan, times: times, prompts: prompts, system: { _ in nil },
                    parameters: { _ in RequestParameters(temperature: 1.0, maxTokens: maxTokens) },
                    medianTokens: Double(maxTokens) * 0.45, previews: text.proseAnswers,
                    adoption: 0.9, pivotDelayHours: random.double(1...6),
                    origin: { _ in source }, &random)
            } else {
                let offset = random.pick([-8, -5, -4, 0, 1, 2, 5, 8, 9])
                let sessions = clock.arrivals(
                    &random, perDay: random.double(2...8), profile: .human,
                    utcOffsetHours: offset, dayToDayVariation: 0.4)
                for start in sessions {
                    requests += conversation(
                        plan, startingAt: start, origin: source, system: nil, maxTurns: 6,
                        adoption: 0.4, &random)
                }
            }
        }
        return requests
    }

    /// System prompts that say the same thing in different words and languages.
    private static let paraphraseParts: (openers: [String], asks: [String], closers: [String]) = (
        [
            "You are a knowledgeable assistant.", "Act as a patient expert tutor.", "You're an experienced teacher.",
            "Eres un asistente experto.", "Tu es un assistant expert.", "Du bist ein erfahrener Assistent.",
            "你是一位知识渊博的助手。", "あなたは熟練したアシスタントです。",
        ],
        [
            "Work through the problem carefully and show each step.",
            "Explain your reasoning in detail before answering.",
            "Lay out your thinking step by step, then give the answer.",
            "Piensa paso a paso y muestra tu razonamiento.",
            "Réfléchis étape par étape et détaille ton raisonnement.",
            "Denke Schritt für Schritt und erkläre deine Überlegungen.",
            "请一步一步地思考，并写出完整的推理过程。",
            "段階的に考え、推論の過程をすべて示してください。",
            "Пожалуйста, рассуждай шаг за шагом и покажи ход решения.",
            "단계별로 생각하고 풀이 과정을 자세히 보여 주세요.",
            "Be thorough and precise.", "Answer as fully as you can.",
        ],
        [
            "", " Be thorough.", " Give the final answer on its own line.", " Use clear headings where helpful.",
            " Avoid unnecessary repetition.",
        ]
    )

    private func adaptive(_ plan: AccountPlan, _ random: inout SimulationRandom) -> [SimulatedRequest] {
        let parts = Self.paraphraseParts
        let prompts = mixedSequence(&random)
        // Human-looking daily shape, but never quite idle, and the hour-to-hour level wanders.
        let times = clock.arrivals(
            &random, perDay: plan.requestsPerDay, profile: .mixed,
            utcOffsetHours: plan.utcOffsetHours, dayToDayVariation: 0.35
        )
        .map { $0 + SimulationClock.micros(seconds: random.normal(mean: 0, deviation: 40)) }
        .sorted()
        let pivotDelay = random.double(6...20)
        var requests: [SimulatedRequest] = []
        var harvested = 0
        for time in times {
            let source = origin(plan, &random)
            if random.chance(0.2) {
                // Decoy: a short ordinary chat.
                requests += conversation(
                    plan, startingAt: time, origin: source, system: nil, maxTurns: 3,
                    adoption: 0.5, &random)
                continue
            }
            let system = JSONText(
                random.pick(parts.openers) + " " + random.pick(parts.asks)
                    + random.pick(parts.closers))
            let parameters = RequestParameters(
                temperature: random.pick([0.6, 0.7, 0.8, 1.0]),
                maxTokens: random.pick([2_048, 3_000, 4_096]),
                n: random.pick([nil, nil, nil, 2, 3]))
            let answers = choices(
                parameters.n ?? 1, &random, medianTokens: 1_100, spread: 0.6,
                maxTokens: parameters.maxTokens, previews: text.proseAnswers)
            let model = model(at: time, base: Self.currentModel, adoption: 0.75, delayHours: pivotDelay, &random)
            requests.append(
                make(
                    plan, at: time, origin: source, model: model,
                    messages: [.system(system), .user(prompts(harvested))], parameters: parameters,
                    choices: answers, &random))
            harvested += 1
        }
        return requests
    }
}

extension String {
    var asJSONText: JSONText { JSONText(self) }
}

/// Turns requests that exceed an account's per-minute limit into 429 failures followed by a retry.
enum RateLimiter {
    static func apply(
        to requests: [SimulatedRequest], plan: AccountPlan,
        _ random: inout SimulationRandom
    ) -> [SimulatedRequest] {
        var sorted = requests.sorted { $0.startMicros < $1.startMicros }
        var perMinute: [Int64: Int] = [:]
        var output: [SimulatedRequest] = []
        output.reserveCapacity(sorted.count + sorted.count / 10)
        for position in sorted.indices {
            var request = sorted[position]
            let minute = request.startMicros / 60_000_000
            let used = perMinute[minute, default: 0]
            if used >= plan.rateLimitPerMinute {
                var rejected = request
                rejected.latencyMicros = SimulationClock.micros(seconds: random.double(0.02...0.15))
                rejected.outcome = .failure(
                    statusCode: 429, errorClass: "RateLimitError",
                    message: "Rate limit reached for requests. Limit: "
                        + "\(plan.rateLimitPerMinute) / min. Please try again later.")
                output.append(rejected)
                if plan.rotatesKeysOnRateLimit {
                    request.keyIndex = (request.keyIndex + 1) % plan.keyHashes.count
                    request.startMicros += SimulationClock.micros(seconds: random.double(0.3...3))
                } else {
                    request.startMicros += SimulationClock.micros(seconds: random.double(5...40))
                }
                perMinute[request.startMicros / 60_000_000, default: 0] += 1
            } else {
                perMinute[minute] = used + 1
                if random.chance(0.001) {
                    // A rare upstream error, retried by the client.
                    var failed = request
                    failed.latencyMicros = SimulationClock.micros(seconds: random.double(0.5...8))
                    failed.outcome = .failure(
                        statusCode: 500, errorClass: "InternalServerError",
                        message: "The server had an error while processing your request.")
                    output.append(failed)
                    request.startMicros += failed.latencyMicros + SimulationClock.micros(seconds: random.double(1...4))
                }
            }
            sorted[position] = request
            output.append(request)
        }
        return output
    }
}
