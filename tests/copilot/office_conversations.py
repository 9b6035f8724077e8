"""The local Copilot's evaluation set: what customers asked offices, and what attendants replied.

No public Brazilian WhatsApp customer-service dataset exists (see the
research notes), so these were written for the purpose: seven kinds of
office (clinic, accounting office, law office, real-estate agency, online
shop, school, mechanic), eight exchanges each, as customers write on
WhatsApp ("vc", "pq", "qto", no accents, typos, a request split over two
messages) and as attendants answer.

Each exchange has the question as it was asked (indexed with its reply,
through the real store) and a *paraphrase*: the same need asked by another
customer in other words, sharing few words with the original. Asking the
paraphrase must bring the original reply among the three suggestions.
``held_out`` is a second paraphrase of each, written after the engine's
thesaurus and weights were frozen and never used to tune them: it shows how
much of the score is the set having been seen (docs/copilot.md has both).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from crm_whatsapp.copilot.local import reply_key
from crm_whatsapp.copilot.slots import slot
from crm_whatsapp.copilot.text import STOPWORDS, fold


@dataclass(frozen=True)
class Exchange:
    """One question, the reply the attendant gave, and the same question asked differently."""

    office: str
    customer: str  # the contact's name (the reply may greet them by it)
    question: tuple[str, ...]  # the customer's messages, oldest first
    reply: str
    paraphrase: tuple[str, ...]
    asker: str  # who asks the paraphrase (the suggestion greets them, never `customer`)
    held_out: tuple[str, ...] = ()


EXCHANGES: tuple[Exchange, ...] = (
    # -- a clinic ---------------------------------------------------------------------
    Exchange(
        "clinica",
        "Patrícia Gomes",
        ("oi boa tarde", "qto ta a consulta particular?"),
        "Boa tarde! A consulta particular com a Dra. Helena é R$ 280,00 e inclui o retorno em "
        "até 30 dias.",
        ("qual o preço pra ser atendida sem convenio?",),
        "Lúcia",
        held_out=("vcs cobram qto pra atender quem nao tem convenio?",),
    ),
    Exchange(
        "clinica",
        "Marcos Vieira",
        ("vcs atendem unimed?",),
        "Atendemos Unimed, Amil e Bradesco Saúde. Para outros planos fazemos particular com "
        "recibo para reembolso.",
        ("meu plano de saude é amil, posso usar ai?",),
        "Otávio",
        held_out=("aceitam meu convenio da bradesco saude?",),
    ),
    Exchange(
        "clinica",
        "Renata",
        ("preciso marcar uma consulta com a dermatologista",),
        "Claro! A Dra. Helena atende terças e quintas à tarde. Qual desses dias fica melhor pra "
        "você?",
        ("tem vaga com a doutora de pele essa semana?",),
        "Sônia",
        held_out=("queria um horario com a dermato",),
    ),
    Exchange(
        "clinica",
        "Juliana Prado",
        ("nao vou conseguir ir amanha", "tem como mudar?"),
        "Sem problemas, Juliana! Posso remarcar para sexta às 10h ou segunda às 15h. Qual prefere?",
        ("surgiu um imprevisto, da pra trocar meu horario pra outro dia?",),
        "Carlos",
        held_out=("nao consigo ir no dia marcado, posso ir outra hora?",),
    ),
    Exchange(
        "clinica",
        "Fábio",
        ("o resultado do meu exame de sangue ja saiu?",),
        "Os resultados ficam prontos em até 3 dias úteis e chegam por e-mail. Também pode "
        "retirar impresso na recepção.",
        ("quando fica pronto o laudo do hemograma?",),
        "Beatriz",
        held_out=("ja da pra pegar o laudo?",),
    ),
    Exchange(
        "clinica",
        "Cláudia",
        ("precisa de jejum pro exame?",),
        "Para o exame de sangue é preciso jejum de 8 horas. Água pode beber normalmente.",
        ("posso tomar cafe antes da coleta?",),
        "Ivone",
        held_out=("tenho que ficar sem comer antes de tirar sangue?",),
    ),
    Exchange(
        "clinica",
        "Sérgio",
        ("qual o endereço da clinica?",),
        "Estamos na Av. Brasil, 1500, sala 302, em frente ao Shopping Center. Tem estacionamento "
        "conveniado no subsolo.",
        ("onde vcs ficam? tem lugar pra parar o carro?",),
        "Denise",
        held_out=("me passa a localização de vcs?",),
    ),
    Exchange(
        "clinica",
        "Tereza",
        ("vcs abrem sabado?",),
        "Atendemos de segunda a sexta das 8h às 18h e aos sábados das 8h às 12h.",
        ("ate que horas vcs ficam abertos no fds?",),
        "Raul",
        held_out=("funciona no final de semana?",),
    ),
    # -- an accounting office ---------------------------------------------------------
    Exchange(
        "contabilidade",
        "Eduardo Lima",
        ("quero declarar meu imposto de renda esse ano",),
        "Fazemos sim! A declaração completa custa R$ 180. Me envie seus informes de rendimento "
        "e recibos médicos que já começamos.",
        ("consegue fazer meu IRPF? qual o valor?",),
        "Gustavo",
        held_out=("preciso acertar as contas com o leão esse ano, vcs ajudam?",),
    ),
    Exchange(
        "contabilidade",
        "Priscila",
        ("bom dia", "quero abrir um MEI"),
        "Abrimos seu MEI sem custo e em até 2 dias. Só precisamos do seu RG, CPF, comprovante "
        "de endereço e título de eleitor.",
        ("como faço pra virar microempreendedor individual?",),
        "Vanessa",
        held_out=("quero tirar um cnpj pra trabalhar como autonomo",),
    ),
    Exchange(
        "contabilidade",
        "Rodrigo",
        ("minha guia do DAS venceu, e agora?",),
        "Sem problema! Vou gerar uma nova guia com multa e juros atualizados e te mando aqui "
        "ainda hoje.",
        ("esqueci de pagar o boleto do mei do mes passado, o que eu faço?",),
        "Alessandra",
        held_out=("perdi o prazo de pagamento do imposto do mes, como regularizo?",),
    ),
    Exchange(
        "contabilidade",
        "Camila",
        ("preciso emitir nota fiscal",),
        "Você pode emitir pelo portal da prefeitura. Te mando um passo a passo em PDF, e se "
        "preferir emitimos por você.",
        ("como eu gero uma NF pro meu cliente?",),
        "Heitor",
        held_out=("o cliente quer um comprovante fiscal do serviço, como eu faço?",),
    ),
    Exchange(
        "contabilidade",
        "Anderson",
        ("qual o valor da mensalidade da contabilidade pra empresa do simples?",),
        "Para empresas do Simples Nacional sem funcionários o honorário mensal é R$ 450. Com "
        "funcionários, R$ 80 a mais por colaborador.",
        ("quanto vcs cobram por mes pra cuidar da minha firma?",),
        "Elaine",
        held_out=("qual o custo mensal do escritorio pra atender minha empresinha?",),
    ),
    Exchange(
        "contabilidade",
        "Simone",
        ("quero contratar uma funcionaria, o que precisa?",),
        "Para o registro precisamos da carteira de trabalho digital, RG, CPF, comprovante de "
        "endereço e o exame admissional. Nos envie até 2 dias antes do início.",
        ("vou registrar uma pessoa na minha loja, quais papeis vcs precisam?",),
        "Mauro",
        held_out=("vou admitir um empregado, o que vcs precisam de mim?",),
    ),
    Exchange(
        "contabilidade",
        "Luciano",
        ("minha restituição ainda nao caiu",),
        "Consultei aqui e sua declaração está no 3º lote, com pagamento previsto para 30/06. "
        "Não caiu em malha.",
        ("quando vou receber o dinheiro de volta do leão?",),
        "Regina",
        held_out=("o valor que tenho pra receber do imposto de renda ja saiu?",),
    ),
    Exchange(
        "contabilidade",
        "Márcia",
        ("quero encerrar minha empresa",),
        "Para dar baixa no CNPJ cobramos R$ 600 e o processo leva cerca de 30 dias. Precisamos "
        "verificar se há débitos antes.",
        ("como faço pra fechar o cnpj?",),
        "Wagner",
        held_out=("quero dar baixa na minha firma, quanto custa?",),
    ),
    # -- a law office -----------------------------------------------------------------
    Exchange(
        "advocacia",
        "Roberto Alves",
        ("gostaria de saber como esta meu processo",),
        "Olá, Roberto! Seu processo está aguardando a sentença do juiz. Assim que houver "
        "movimentação te aviso por aqui.",
        ("tem alguma novidade da minha ação?",),
        "Fernanda",
        held_out=("e ai, o juiz ja decidiu alguma coisa do meu caso?",),
    ),
    Exchange(
        "advocacia",
        "Adriana",
        ("quanto custa uma consulta com o advogado?",),
        "A primeira consulta custa R$ 300 e, se fechar o contrato, esse valor é abatido dos "
        "honorários.",
        ("vcs cobram pra conversar com o dr a primeira vez?",),
        "Paulo",
        held_out=("quanto sai a primeira conversa com vcs?",),
    ),
    Exchange(
        "advocacia",
        "Kátia",
        ("quero me divorciar, como funciona?",),
        "Se for consensual e sem filhos menores, o divórcio pode ser feito em cartório em "
        "poucas semanas. Vamos marcar uma conversa para entender seu caso?",
        ("eu e meu marido decidimos separar, qual o caminho?",),
        "Rosana",
        held_out=("quero me separar da minha esposa, vcs cuidam disso?",),
    ),
    Exchange(
        "advocacia",
        "Jorge",
        ("fui demitido e nao recebi a rescisão",),
        "Sinto muito. O prazo para pagar as verbas rescisórias é de 10 dias após o desligamento. "
        "Me envie o termo de rescisão e a carteira de trabalho que analisamos.",
        ("a empresa me mandou embora mas nao me pagou nada ainda",),
        "Nelson",
        held_out=("me dispensaram do trabalho e ate agora nada das minhas verbas",),
    ),
    Exchange(
        "advocacia",
        "Viviane",
        ("que documentos preciso levar na audiencia?",),
        "Leve RG, CPF e os originais dos documentos que juntamos ao processo. Chegue com 30 "
        "minutos de antecedência.",
        ("o que eu tenho que trazer no dia do julgamento?",),
        "Sandro",
        held_out=("vou no forum semana q vem, tenho que apresentar quais papeis?",),
    ),
    Exchange(
        "advocacia",
        "Hélio",
        ("vcs fazem inventario?",),
        "Fazemos sim. Se os herdeiros estiverem de acordo, o inventário pode ser extrajudicial, "
        "em cartório, e fica bem mais rápido.",
        ("meu pai faleceu e deixou uma casa, como a gente divide?",),
        "Irene",
        held_out=("minha mae morreu e preciso resolver a partilha dos bens",),
    ),
    Exchange(
        "advocacia",
        "Débora",
        ("quando é minha audiencia?",),
        "Sua audiência está marcada para 12/08 às 14h, no Fórum Central, sala 5.",
        ("que dia tenho que ir no forum?",),
        "Ricardo",
        held_out=("qual a data do meu julgamento?",),
    ),
    Exchange(
        "advocacia",
        "Otávio",
        ("como pago os honorarios?",),
        "Os honorários podem ser pagos por pix ou boleto, em até 6 vezes sem juros.",
        ("da pra parcelar o valor do advogado?",),
        "Marta",
        held_out=("posso pagar vcs no cartao?",),
    ),
    # -- a real-estate agency ---------------------------------------------------------
    Exchange(
        "imobiliaria",
        "Bianca",
        ("o apartamento da rua augusta ainda esta disponivel?",),
        "Está sim! É um apartamento de 2 quartos, 65 m², com vaga. O aluguel é R$ 2.300 mais "
        "condomínio de R$ 550.",
        ("aquele ap de 2 dormitorios ja alugou?",),
        "César",
        held_out=("aquele de 2 quartos com garagem continua livre?",),
    ),
    Exchange(
        "imobiliaria",
        "Tiago",
        ("quero agendar uma visita",),
        "Ótimo! Temos horários amanhã às 10h e às 16h. Qual fica melhor para você?",
        ("consigo ver o imovel essa semana?",),
        "Larissa",
        held_out=("quando posso passar ai pra conhecer o apartamento?",),
    ),
    Exchange(
        "imobiliaria",
        "Aline",
        ("quais documentos pra alugar?",),
        "Para a locação precisamos de RG, CPF, comprovante de renda de 3x o valor do aluguel e "
        "comprovante de residência.",
        ("o que eu preciso apresentar pra ficar com a casa?",),
        "Diego",
        held_out=("o que vcs exigem do inquilino?",),
    ),
    Exchange(
        "imobiliaria",
        "Leandro",
        ("precisa de fiador?",),
        "Não é obrigatório. Aceitamos fiador, seguro fiança ou caução de 3 aluguéis.",
        ("nao tenho ninguem pra ser meu garantidor, tem outra opção?",),
        "Patrícia",
        held_out=("como funciona a garantia do contrato de aluguel?",),
    ),
    Exchange(
        "imobiliaria",
        "Mirela",
        ("aceita pet?",),
        "Esse imóvel aceita animais de pequeno porte, conforme a convenção do condomínio.",
        ("posso morar lá com meu cachorro?",),
        "Renan",
        held_out=("tenho um gato, tem problema?",),
    ),
    Exchange(
        "imobiliaria",
        "Vítor",
        ("qual o valor do iptu?",),
        "O IPTU desse imóvel é R$ 120 por mês, cobrado junto com o aluguel.",
        ("tem imposto da prefeitura alem do aluguel?",),
        "Júlia",
        held_out=("quanto é o imposto predial desse ap?",),
    ),
    Exchange(
        "imobiliaria",
        "Gisele",
        ("vcs fazem financiamento?",),
        "Trabalhamos com a Caixa e o Itaú. Nosso correspondente faz a simulação do "
        "financiamento sem custo.",
        ("nao tenho o dinheiro todo, da pra comprar parcelado pelo banco?",),
        "Henrique",
        held_out=("vcs aceitam pagamento via credito imobiliario?",),
    ),
    Exchange(
        "imobiliaria",
        "Rafael Costa",
        ("quero vender meu apartamento",),
        "Podemos avaliar seu imóvel sem compromisso. Nossa comissão é de 6% sobre o valor da "
        "venda. Quando podemos fazer a visita?",
        ("quanto vcs cobram pra anunciar minha casa a venda?",),
        "Tânia",
        held_out=("vcs anunciam imovel de terceiros? quanto fica a comissão?",),
    ),
    # -- an online shop ---------------------------------------------------------------
    Exchange(
        "loja",
        "Paula Ribeiro",
        ("meu pedido ainda nao chegou",),
        "Oi Paula! Seu pedido 48213 saiu para entrega hoje pelos Correios. O código de rastreio "
        "é QB123456789BR.",
        ("cade minha encomenda? comprei semana passada",),
        "Rogério",
        held_out=("ja faz 10 dias e nao recebi o que comprei",),
    ),
    Exchange(
        "loja",
        "Igor",
        ("qual o prazo de entrega pra BH?",),
        "Para Belo Horizonte o prazo é de 3 a 5 dias úteis após a confirmação do pagamento.",
        ("em quantos dias chega em minas?",),
        "Luana",
        held_out=("se eu comprar hoje, quando recebo aqui em contagem?",),
    ),
    Exchange(
        "loja",
        "Natália",
        ("tem esse tenis no tamanho 38?",),
        "Temos sim no 38! Restam poucas unidades, quer que eu separe pra você?",
        ("ainda sobrou numeração 38 desse modelo?",),
        "Edson",
        held_out=("tem o 38 desse calçado ainda?",),
    ),
    Exchange(
        "loja",
        "Yasmin",
        ("quero trocar o tamanho da blusa",),
        "A troca é grátis em até 30 dias. É só enviar o produto com a etiqueta pelos Correios "
        "usando o código de postagem que vou te mandar.",
        ("a camiseta ficou pequena, como faço pra mudar por uma maior?",),
        "Caio",
        held_out=("comprei uma camisa e nao serviu, posso devolver?",),
    ),
    Exchange(
        "loja",
        "Cristiano",
        ("vcs parcelam?",),
        "Parcelamos em até 10x sem juros no cartão, e no pix tem 5% de desconto.",
        ("da pra dividir no credito?",),
        "Silvia",
        held_out=("consigo pagar em varias vezes?",),
    ),
    Exchange(
        "loja",
        "Helena",
        ("o frete é gratis?",),
        "O frete é grátis para compras acima de R$ 199. Abaixo disso, calculamos pelo CEP no "
        "carrinho.",
        ("tem que pagar a entrega?",),
        "Murilo",
        held_out=("a entrega é por conta de vcs?",),
    ),
    Exchange(
        "loja",
        "Bruno",
        ("chegou com defeito",),
        "Sinto muito! Me manda uma foto do defeito e o número do pedido que já abro a troca ou "
        "o reembolso, como preferir.",
        ("o produto veio quebrado, e agora?",),
        "Priscila",
        held_out=("recebi o produto com problema",),
    ),
    Exchange(
        "loja",
        "Letícia",
        ("vcs tem loja fisica?",),
        "Somos só online, mas você pode retirar seu pedido no nosso centro de distribuição em "
        "Osasco sem pagar frete.",
        ("da pra buscar pessoalmente em algum lugar?",),
        "Arthur",
        held_out=("vcs tem endereço pra eu ir pessoalmente?",),
    ),
    # -- a school ---------------------------------------------------------------------
    Exchange(
        "escola",
        "Mônica",
        ("queria saber sobre matricula pro 1 ano",),
        "As matrículas para 2025 estão abertas! Temos vagas no 1º ano nos períodos manhã e "
        "tarde. Quer agendar uma visita para conhecer a escola?",
        ("ainda tem vaga pro primeiro ano do fundamental?",),
        "Flávia",
        held_out=("como faço pra inscrever meu filho no primeiro ano?",),
    ),
    Exchange(
        "escola",
        "Alexandre",
        ("qual o valor da mensalidade?",),
        "A mensalidade do Fundamental I é R$ 1.250, com 10% de desconto para irmãos.",
        ("quanto pago por mes pra minha filha estudar ai?",),
        "Daniela",
        held_out=("qual o custo mensal da escola?",),
    ),
    Exchange(
        "escola",
        "Carolina",
        ("qual a lista de material?",),
        "A lista de material está no site da escola, na área do aluno. Também vendemos o kit "
        "completo na secretaria.",
        ("o que tenho que comprar de caderno e livro?",),
        "Márcio",
        held_out=("onde acho a relação de itens escolares?",),
    ),
    Exchange(
        "escola",
        "Fabiana",
        ("onde compro o uniforme?",),
        "O uniforme é vendido na loja Malharia Estrela, na rua da escola, ou pelo site dela.",
        ("aonde vende a camiseta e o agasalho da escola?",),
        "Joana",
        held_out=("onde consigo o fardamento?",),
    ),
    Exchange(
        "escola",
        "Luciana",
        ("que horas termina a aula da tarde?",),
        "O período da tarde vai das 13h às 17h30. A saída é pelo portão da Rua Ipê.",
        ("que horario posso buscar meu filho?",),
        "Marcelo",
        held_out=("as criancas do vespertino saem que horas?",),
    ),
    Exchange(
        "escola",
        "Sabrina",
        ("meu filho vai faltar hoje, esta doente",),
        "Obrigada por avisar! Melhoras para ele. Se precisar de atestado para a prova, é só "
        "entregar na secretaria.",
        ("ele acordou com febre e nao vai pra escola",),
        "Rita",
        held_out=("minha filha ta gripada e vai ficar em casa hoje",),
    ),
    Exchange(
        "escola",
        "Gilberto",
        ("tem transporte escolar?",),
        "Não temos transporte próprio, mas indicamos duas vans credenciadas. Posso te passar o "
        "contato delas?",
        ("alguem leva e traz as crianças de casa?",),
        "Sueli",
        held_out=("vcs tem van pra buscar os alunos?",),
    ),
    Exchange(
        "escola",
        "Vera",
        ("quando começam as aulas?",),
        "As aulas começam em 3 de fevereiro. A reunião de pais será no dia 31 de janeiro às 19h.",
        ("que dia as crianças voltam pra escola?",),
        "Lauro",
        held_out=("qual o primeiro dia letivo do ano?",),
    ),
    # -- a mechanic -------------------------------------------------------------------
    Exchange(
        "oficina",
        "Ronaldo",
        ("quanto fica a revisão dos 20 mil km?",),
        "A revisão de 20 mil km fica em R$ 650 com óleo, filtros e mão de obra. Leva cerca de 3 "
        "horas.",
        ("qual o preço pra fazer a manutenção do carro?",),
        "Wilson",
        held_out=("quanto sai pra fazer o check-up do carro?",),
    ),
    Exchange(
        "oficina",
        "Elisa",
        ("meu carro ta fazendo um barulho quando freio",),
        "Pode ser a pastilha de freio gasta. Traz o carro pra gente avaliar sem custo, hoje até "
        "as 17h.",
        ("ta rangendo na hora de parar",),
        "Osmar",
        held_out=("ta chiando quando eu paro",),
    ),
    Exchange(
        "oficina",
        "Marcos Antônio",
        ("meu carro ja ta pronto?",),
        "Ainda não, Marcos. Estamos esperando a peça chegar, a previsão é amanhã à tarde. Te "
        "aviso assim que terminar.",
        ("ja posso ir buscar meu veiculo?",),
        "Valter",
        held_out=("o conserto ja terminou?",),
    ),
    Exchange(
        "oficina",
        "Cintia",
        ("vcs fazem troca de oleo?",),
        "Fazemos sim! Troca de óleo com filtro a partir de R$ 180, na hora, sem agendamento.",
        ("to precisando trocar o lubrificante do motor",),
        "Edgar",
        held_out=("vcs colocam lubrificante novo no motor?",),
    ),
    Exchange(
        "oficina",
        "Humberto",
        ("vcs tem guincho?",),
        "Temos guincho 24h. Me manda sua localização que calculo o valor e o tempo de chegada.",
        ("meu carro parou na estrada, vcs buscam?",),
        "Norma",
        held_out=("preciso de reboque urgente",),
    ),
    Exchange(
        "oficina",
        "Patrícia",
        ("o ar condicionado nao gela",),
        "Pode ser falta de gás ou filtro sujo. Fazemos a higienização e a carga de gás por "
        "R$ 250. Quer agendar?",
        ("ta saindo vento quente do ar do carro",),
        "Glória",
        held_out=("o ar ta soprando quente",),
    ),
    Exchange(
        "oficina",
        "Jefferson",
        ("a luz da injeção acendeu",),
        "Melhor não rodar muito assim. Traga o carro para fazer o diagnóstico com scanner, custa "
        "R$ 100 e é abatido do serviço.",
        ("apareceu uma luz amarela no painel, é grave?",),
        "Dalva",
        held_out=("o carro ta com uma luz acesa no painel, o que pode ser?",),
    ),
    Exchange(
        "oficina",
        "Rogério",
        ("vcs dão garantia do serviço?",),
        "Todo serviço tem 90 dias de garantia, e as peças têm a garantia do fabricante.",
        ("se der problema de novo depois do conserto vcs arrumam de graça?",),
        "Ivan",
        held_out=("se quebrar de novo vcs cobram?",),
    ),
)


# -- putting the set in a history, and scoring an engine on it ---------------------------

PNID = "106540352242922"
DAY = 86400.0


def wa_id_of(number: int) -> str:
    """The WhatsApp number of the set's ``number``-th customer (a range no test uses)."""
    return f"55219{number:08d}"


def exchange_events(
    first_seq: int, start: float, exchanges: tuple[Exchange, ...] = EXCHANGES
) -> list[tuple[int, dict[str, Any]]]:
    """Stream events filing each exchange in its own conversation, as the relay sends them.

    The customer's messages, then the attendant's reply a minute later (a
    colleague's send: an ``outbound`` event), an hour apart per exchange.
    """
    events: list[tuple[int, dict[str, Any]]] = []
    seq = first_seq
    for number, exchange in enumerate(exchanges):
        wa_id = wa_id_of(number)
        at = start + number * 3600
        for k, body in enumerate(exchange.question):
            events.append(
                (
                    seq,
                    {
                        "kind": "message",
                        "phone_number_id": PNID,
                        "contacts": [{"profile": {"name": exchange.customer}, "wa_id": wa_id}],
                        "data": {
                            "from": wa_id,
                            "id": f"wamid.EVAL{seq}",
                            "timestamp": str(int(at + k)),
                            "type": "text",
                            "text": {"body": body},
                        },
                    },
                )
            )
            seq += 1
        events.append(
            (
                seq,
                {
                    "kind": "outbound",
                    "phone_number_id": PNID,
                    "data": {
                        "wamid": f"wamid.EVALOUT{seq}",
                        "wa_id": wa_id,
                        "timestamp": at + 60,
                        "device_name": "Recepção",
                        "message": {"type": "text", "text": {"body": exchange.reply}},
                    },
                },
            )
        )
        seq += 1
    return events


@dataclass(frozen=True)
class Score:
    """How often the reply an attendant gave came back: first, among three, and MRR."""

    hit_at_1: float
    hit_at_3: float
    mrr: float
    misses: tuple[int, ...]  # the exchanges whose reply was not among the three

    def as_dict(self, prefix: str = "") -> dict[str, float]:
        return {
            f"{prefix}hit_at_1": round(self.hit_at_1, 3),
            f"{prefix}hit_at_3": round(self.hit_at_3, 3),
            f"{prefix}mrr": round(self.mrr, 3),
        }


def score(ranks: list[int]) -> Score:
    """The figures for the rank of each gold reply (1-based; 0: not among those shown)."""
    n = len(ranks) or 1
    return Score(
        hit_at_1=sum(r == 1 for r in ranks) / n,
        hit_at_3=sum(1 <= r <= 3 for r in ranks) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        misses=tuple(i for i, r in enumerate(ranks) if not 1 <= r <= 3),
    )


def evaluate(
    suggest: Callable[[tuple[str, ...], str], list[Any]],
    field: str = "paraphrase",
    exchanges: tuple[Exchange, ...] = EXCHANGES,
) -> Score:
    """Ask each exchange's ``field`` (paraphrase, held_out, question) and score the engine.

    ``suggest(messages, first_name)`` returns suggestions with a ``key``;
    the gold key is the key of the reply as the history holds it.
    """
    ranks: list[int] = []
    for exchange in exchanges:
        gold = reply_key(slot(exchange.reply, exchange.customer).template)
        keys = [s.key for s in suggest(getattr(exchange, field), exchange.asker)]
        ranks.append(keys.index(gold) + 1 if gold in keys else 0)
    return score(ranks)


_PLAIN_WORD = re.compile(r"[^\W_]+")


def plain_words(text: str) -> set[str]:
    """Folded words without stopwords: what a plain word-overlap ranker compares."""
    return {w for w in _PLAIN_WORD.findall(fold(text)) if w not in STOPWORDS}


def word_overlap(field: str = "paraphrase", exchanges: tuple[Exchange, ...] = EXCHANGES) -> Score:
    """The baseline: rank the questions by shared words (Jaccard), no stems, no thesaurus."""
    asked = [plain_words(" ".join(e.question)) for e in exchanges]
    ranks: list[int] = []
    for number, exchange in enumerate(exchanges):
        query = plain_words(" ".join(getattr(exchange, field)))
        ranked = sorted(
            (
                (len(query & words) / (len(query | words) or 1), other)
                for other, words in enumerate(asked)
            ),
            key=lambda item: (-item[0], item[1]),
        )
        order = [other for value, other in ranked if value > 0][:3]
        ranks.append(order.index(number) + 1 if number in order else 0)
    return score(ranks)
