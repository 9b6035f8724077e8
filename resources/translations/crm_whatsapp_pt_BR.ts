<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR" sourcelanguage="pt_BR">
<context>
    <name>BubbleDelegate</name>
    <message>
        <location filename="../../crm_whatsapp/ui/delegates/bubble.py" line="+61"/>
        <source>Foto</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figurinha</source>
        <translation>Figurinha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Áudio</source>
        <translation>Áudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo</source>
        <translation>Vídeo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Localização</source>
        <translation>Localização</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato</source>
        <translation>Contato</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Resposta de botão</source>
        <translation>Resposta de botão</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mensagem do tipo {0}</source>
        <translation>Mensagem do tipo {0}</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>Encaminhada</source>
        <translation>Encaminhada</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Modelo: {0}</source>
        <translation>Modelo: {0}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Abrir no mapa</source>
        <translation>Abrir no mapa</translation>
    </message>
    <message>
        <location line="+385"/>
        <source>Prévia indisponível</source>
        <translation>Prévia indisponível</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/composer.py" line="+169"/>
        <source>Cancelar resposta</source>
        <translation>Cancelar resposta</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mais de 24 horas desde a última mensagem do cliente: a Meta só permite modelos aprovados até ele responder.</source>
        <translation>Mais de 24 horas desde a última mensagem do cliente: a Meta só permite modelos aprovados até ele responder.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escolher modelo…</source>
        <translation>Escolher modelo…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Digite uma mensagem (/ para respostas rápidas)</source>
        <translation>Digite uma mensagem (/ para respostas rápidas)</translation>
    </message>
    <message>
        <location line="-4"/>
        <source>Anexar arquivo</source>
        <translation>Anexar arquivo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar modelo aprovado</source>
        <translation>Enviar modelo aprovado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviar (Enter)</source>
        <translation>Enviar (Enter)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Janela de 24 horas fechada: envie um modelo.</source>
        <translation>Janela de 24 horas fechada: envie um modelo.</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+34"/>
        <source>Respondendo a: {0}</source>
        <translation>Respondendo a: {0}</translation>
    </message>
</context>
<context>
    <name>ConnectPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+111"/>
        <source>Conectar ao relay</source>
        <translation>Conectar ao relay</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Informe o endereço do relay do escritório e o código de ativação que o administrador gerou para este computador.</source>
        <translation>Informe o endereço do relay do escritório e o código de ativação que o administrador gerou para este computador.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>https://relay.seuescritorio.com.br</source>
        <translation>https://relay.seuescritorio.com.br</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>É o nome que os colegas veem como autor das mensagens e responsável.</source>
        <translation>É o nome que os colegas veem como autor das mensagens e responsável.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Endereço do relay:</source>
        <translation>Endereço do relay:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Código de ativação:</source>
        <translation>Código de ativação:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nome deste computador:</source>
        <translation>Nome deste computador:</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>Conectando ao relay…</source>
        <translation>Conectando ao relay…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>O endereço do relay deve começar com https://.</source>
        <translation>O endereço do relay deve começar com https://.</translation>
    </message>
</context>
<context>
    <name>ConversationDelegate</name>
    <message>
        <location filename="../../crm_whatsapp/ui/delegates/conversation.py" line="+57"/>
        <source>janela fechada</source>
        <translation>janela fechada</translation>
    </message>
</context>
<context>
    <name>Copilot</name>
    <message>
        <location filename="../../crm_whatsapp/ui/copilot_wiring.py" line="+74"/>
        <source>Fechar</source>
        <translation>Fechar</translation>
    </message>
    <message>
        <location line="+211"/>
        <location line="+22"/>
        <source>Resposta rápida</source>
        <translation>Resposta rápida</translation>
    </message>
    <message>
        <location line="-15"/>
        <source>Você já escreveu esta resposta várias vezes. Salvar como resposta rápida?</source>
        <translation>Você já escreveu esta resposta várias vezes. Salvar como resposta rápida?</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Salvar</source>
        <translation>Salvar</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Agora não</source>
        <translation>Agora não</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Atalho (digitado depois de /):</source>
        <translation>Atalho (digitado depois de /):</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Resumindo a conversa…</source>
        <translation>Resumindo a conversa…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Resumo da conversa</source>
        <translation>Resumo da conversa</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Para quem vai assumir a conversa. Confira antes de usar.</source>
        <translation>Para quem vai assumir a conversa. Confira antes de usar.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Adicionar como nota interna</source>
        <translation>Adicionar como nota interna</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Escreva um rascunho para o Copilot reescrever.</source>
        <translation>Escreva um rascunho para o Copilot reescrever.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Reescrevendo o rascunho…</source>
        <translation>Reescrevendo o rascunho…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Não há mensagem do cliente para traduzir.</source>
        <translation>Não há mensagem do cliente para traduzir.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Tradução</source>
        <translation>Tradução</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Nada foi enviado a um modelo desde que o programa abriu.</source>
        <translation>Nada foi enviado a um modelo desde que o programa abriu.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O que sai deste computador</source>
        <translation>O que sai deste computador</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A última requisição enviada ao modelo, exatamente como saiu. Dados pessoais aparecem como [CPF_1], [EMAIL_1]… e só este computador sabe os valores.</source>
        <translation>A última requisição enviada ao modelo, exatamente como saiu. Dados pessoais aparecem como [CPF_1], [EMAIL_1]… e só este computador sabe os valores.</translation>
    </message>
</context>
<context>
    <name>CopilotPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/copilot_settings.py" line="+60"/>
        <source>Sugerir respostas com o Copilot</source>
        <translation>Sugerir respostas com o Copilot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Usar também um modelo de IA (OpenAI ou compatível: Ollama, vLLM…)</source>
        <translation>Usar também um modelo de IA (OpenAI ou compatível: Ollama, vLLM…)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>https://api.exemplo.com/v1</source>
        <translation>https://api.exemplo.com/v1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>nome do modelo</source>
        <translation>nome do modelo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>guardada no cofre de senhas do sistema</source>
        <translation>guardada no cofre de senhas do sistema</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo</source>
        <translation>Ocultar dados pessoais (CPF, e-mail, telefone) antes de enviar ao modelo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Testar conexão</source>
        <translation>Testar conexão</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Horários, preços, endereços, políticas: o que o modelo pode citar. Ele não inventa o que não estiver aqui.</source>
        <translation>Horários, preços, endereços, políticas: o que o modelo pode citar. Ele não inventa o que não estiver aqui.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Endereço da API:</source>
        <translation>Endereço da API:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modelo:</source>
        <translation>Modelo:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Chave da API:</source>
        <translation>Chave da API:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Informações do escritório:</source>
        <translation>Informações do escritório:</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>Nenhuma sugestão mostrada nos últimos 30 dias.</source>
        <translation>Nenhuma sugestão mostrada nos últimos 30 dias.</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>histórico da equipe</source>
        <translation>histórico da equipe</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modelo de IA</source>
        <translation>modelo de IA</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{0}: {1}% de {2} sugestões aproveitadas ({3} como estavam, {4} editadas)</source>
        <translation>{0}: {1}% de {2} sugestões aproveitadas ({3} como estavam, {4} editadas)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Últimos 30 dias — </source>
        <translation>Últimos 30 dias — </translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Testando…</source>
        <translation>Testando…</translation>
    </message>
</context>
<context>
    <name>CrmCard</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/crm_card.py" line="+44"/>
        <source>Abrir no CRM</source>
        <translation>Abrir no CRM</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Criar contato</source>
        <translation>Criar contato</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Consultando…</source>
        <translation>Consultando…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Nenhum cadastro com este número.</source>
        <translation>Nenhum cadastro com este número.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>(sem nome)</source>
        <translation>(sem nome)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Empresa</source>
        <translation>Empresa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>E-mail</source>
        <translation>E-mail</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Responsável</source>
        <translation>Responsável</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Telefones</source>
        <translation>Telefones</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Negócio: {0}</source>
        <translation>Negócio: {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Última atividade: {0}</source>
        <translation>Última atividade: {0}</translation>
    </message>
</context>
<context>
    <name>CrmWiring</name>
    <message>
        <location filename="../../crm_whatsapp/ui/crm_wiring.py" line="+33"/>
        <source>Lead criado no {0}</source>
        <translation>Lead criado no {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Negócio criado no {0}</source>
        <translation>Negócio criado no {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato criado no {0}</source>
        <translation>Contato criado no {0}</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Conversa registrada no {0}</source>
        <translation>Conversa registrada no {0}</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>Criar lead no CRM…</source>
        <translation>Criar lead no CRM…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Registrar a conversa no CRM</source>
        <translation>Registrar a conversa no CRM</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>Criar lead no CRM</source>
        <translation>Criar lead no CRM</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Título</source>
        <translation>Título</translation>
    </message>
</context>
<context>
    <name>Dates</name>
    <message>
        <location filename="../../crm_whatsapp/domain/dates.py" line="+16"/>
        <source>segunda-feira</source>
        <translation>segunda-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>terça-feira</source>
        <translation>terça-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quarta-feira</source>
        <translation>quarta-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>quinta-feira</source>
        <translation>quinta-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sexta-feira</source>
        <translation>sexta-feira</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>sábado</source>
        <translation>sábado</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>domingo</source>
        <translation>domingo</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>janeiro</source>
        <translation>janeiro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>fevereiro</source>
        <translation>fevereiro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>março</source>
        <translation>março</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>abril</source>
        <translation>abril</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>maio</source>
        <translation>maio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>junho</source>
        <translation>junho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>julho</source>
        <translation>julho</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>agosto</source>
        <translation>agosto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>setembro</source>
        <translation>setembro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>outubro</source>
        <translation>outubro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>novembro</source>
        <translation>novembro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>dezembro</source>
        <translation>dezembro</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Hoje</source>
        <translation>Hoje</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Ontem</source>
        <translation>Ontem</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hour:02d}:{minute:02d}</source>
        <translation>{hour:02d}:{minute:02d}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{day:02d}/{month:02d}/{year}</source>
        <translation>{day:02d}/{month:02d}/{year}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{day} de {month} de {year}</source>
        <translation>{day} de {month} de {year}</translation>
    </message>
</context>
<context>
    <name>JumpDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/jump.py" line="+39"/>
        <source>Ir para conversa</source>
        <translation>Ir para conversa</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Nome, número ou palavra</source>
        <translation>Nome, número ou palavra</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+783"/>
        <source>CRM WhatsApp</source>
        <translation>CRM WhatsApp</translation>
    </message>
    <message>
        <location line="-443"/>
        <source>Pesquisar contatos e mensagens</source>
        <translation>Pesquisar contatos e mensagens</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Minhas</source>
        <translation>Minhas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Sem responsável</source>
        <translation>Sem responsável</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Todas</source>
        <translation>Todas</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Não lidas</source>
        <translation>Não lidas</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Abertas</source>
        <translation>Abertas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pendentes</source>
        <translation>Pendentes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resolvidas</source>
        <translation>Resolvidas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Todas as situações</source>
        <translation>Todas as situações</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Configurações</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <location line="+533"/>
        <source>Ainda não chegou nenhuma mensagem a este número da empresa: a primeira conversa precisa começar pelo cliente.</source>
        <translation>Ainda não chegou nenhuma mensagem a este número da empresa: a primeira conversa precisa começar pelo cliente.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+44"/>
        <source>Abrir</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="-531"/>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+1"/>
        <source>Sair</source>
        <translation>Sair</translation>
    </message>
    <message>
        <location line="+166"/>
        <source>Responsável: {0}</source>
        <translation>Responsável: {0}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ninguém</source>
        <translation>ninguém</translation>
    </message>
    <message>
        <location line="+56"/>
        <source>Responder</source>
        <translation>Responder</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Reagir</source>
        <translation>Reagir</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Copiar texto</source>
        <translation>Copiar texto</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Abrir mídia</source>
        <translation>Abrir mídia</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/media_files.py" line="+80"/>
        <source>Baixando mídia…</source>
        <translation>Baixando mídia…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Não foi possível baixar a mídia; tente de novo.</source>
        <translation>Não foi possível baixar a mídia; tente de novo.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Imagem</source>
        <translation>Imagem</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>Não foi possível preparar o arquivo para abrir; verifique o espaço livre no disco.</source>
        <translation>Não foi possível preparar o arquivo para abrir; verifique o espaço livre no disco.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Nenhum programa deste computador abre este tipo de arquivo.</source>
        <translation>Nenhum programa deste computador abre este tipo de arquivo.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Arquivo recebido</source>
        <translation>Arquivo recebido</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>“{0}” pode executar programas neste computador, por isso não é aberto aqui: use “Salvar como…” e abra-o só se confiar em quem o enviou.</source>
        <translation>“{0}” pode executar programas neste computador, por isso não é aberto aqui: use “Salvar como…” e abra-o só se confiar em quem o enviou.</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+15"/>
        <source>Salvar como…</source>
        <translation>Salvar como…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta.</source>
        <translation>Não foi possível salvar o arquivo; escolha outra pasta.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Arquivo salvo.</source>
        <translation>Arquivo salvo.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+37"/>
        <source>Não foi possível ler o arquivo {0}.</source>
        <translation>Não foi possível ler o arquivo {0}.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O arquivo {0} passa de 100 MB.</source>
        <translation>O arquivo {0} passa de 100 MB.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Anexar arquivos</source>
        <translation>Anexar arquivos</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/team_actions.py" line="+79"/>
        <source>Transferir conversa</source>
        <translation>Transferir conversa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nome do colega ou da fila:</source>
        <translation>Nome do colega ou da fila:</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Nota interna</source>
        <translation>Nota interna</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Só a equipe vê esta nota:</source>
        <translation>Só a equipe vê esta nota:</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>Etiquetas</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Etiquetas separadas por vírgula:</source>
        <translation>Etiquetas separadas por vírgula:</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/tray.py" line="+5"/>
        <source>CRM WhatsApp: {0} não lidas</source>
        <translation>CRM WhatsApp: {0} não lidas</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/mainwindow.py" line="+147"/>
        <source>Conectando ao relay…</source>
        <translation>Conectando ao relay…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Sincronizando mensagens…</source>
        <translation>Sincronizando mensagens…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Conectado</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Sem conexão: tentando de novo; as mensagens enviadas ficam na fila.</source>
        <translation>Sem conexão: tentando de novo; as mensagens enviadas ficam na fila.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Este computador foi desconectado pelo administrador.</source>
        <translation>Este computador foi desconectado pelo administrador.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>A caixa de entrada não consegue aplicar o que chega do relay (as mensagens continuam guardadas no relay). Contate o suporte.</source>
        <translation>A caixa de entrada não consegue aplicar o que chega do relay (as mensagens continuam guardadas no relay). Contate o suporte.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>%v de %m</source>
        <translation>%v de %m</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/ui/settings_wiring.py" line="+128"/>
        <source>Não foi possível apagar o histórico antigo agora.</source>
        <translation>Não foi possível apagar o histórico antigo agora.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{0} mensagens antigas apagadas (guardar {1} meses).</source>
        <translation>{0} mensagens antigas apagadas (guardar {1} meses).</translation>
    </message>
</context>
<context>
    <name>MetaErrors</name>
    <message>
        <location filename="../../crm_whatsapp/domain/meta_errors.py" line="+22"/>
        <source>Mais de 24 horas desde a última mensagem do cliente: envie um modelo aprovado para retomar a conversa.</source>
        <translation>Mais de 24 horas desde a última mensagem do cliente: envie um modelo aprovado para retomar a conversa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não foi possível entregar a mensagem: o número pode não ter WhatsApp, usar uma versão antiga do aplicativo ou ainda não ter aceitado os novos termos do WhatsApp.</source>
        <translation>Não foi possível entregar a mensagem: o número pode não ter WhatsApp, usar uma versão antiga do aplicativo ou ainda não ter aceitado os novos termos do WhatsApp.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta optou por não entregar esta mensagem de marketing para manter o engajamento do cliente saudável: aguarde pelo menos 24 horas antes de tentar de novo.</source>
        <translation>A Meta optou por não entregar esta mensagem de marketing para manter o engajamento do cliente saudável: aguarde pelo menos 24 horas antes de tentar de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O cliente pediu para não receber mensagens de marketing desta empresa.</source>
        <translation>O cliente pediu para não receber mensagens de marketing desta empresa.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O número da empresa atingiu o limite de envios por segundo da Meta: aguarde alguns instantes e tente de novo.</source>
        <translation>O número da empresa atingiu o limite de envios por segundo da Meta: aguarde alguns instantes e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Muitas mensagens seguidas para este cliente: aguarde alguns segundos e tente de novo.</source>
        <translation>Muitas mensagens seguidas para este cliente: aguarde alguns segundos e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O número da empresa está em manutenção na Meta: tente de novo em alguns minutos.</source>
        <translation>O número da empresa está em manutenção na Meta: tente de novo em alguns minutos.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A empresa fez pedidos demais à Meta em pouco tempo: aguarde alguns minutos e tente de novo.</source>
        <translation>A empresa fez pedidos demais à Meta em pouco tempo: aguarde alguns minutos e tente de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Limite de envios da Meta atingido: aguarde alguns instantes e tente de novo.</source>
        <translation>Limite de envios da Meta atingido: aguarde alguns instantes e tente de novo.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta limitou os envios deste número porque muitas mensagens anteriores foram bloqueadas ou denunciadas como spam: evite reenviar e avise o administrador.</source>
        <translation>A Meta limitou os envios deste número porque muitas mensagens anteriores foram bloqueadas ou denunciadas como spam: evite reenviar e avise o administrador.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O WhatsApp não aceita este tipo de mensagem: envie o conteúdo de outra forma.</source>
        <translation>O WhatsApp não aceita este tipo de mensagem: envie o conteúdo de outra forma.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta não conseguiu baixar o arquivo da mensagem: confira o arquivo e tente de novo.</source>
        <translation>A Meta não conseguiu baixar o arquivo da mensagem: confira o arquivo e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta não aceitou o arquivo anexado: confira o tipo e o tamanho do arquivo e tente de novo.</source>
        <translation>A Meta não aceitou o arquivo anexado: confira o tipo e o tamanho do arquivo e tente de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A Meta não conseguiu processar o arquivo da mensagem: confira o arquivo.</source>
        <translation>A Meta não conseguiu processar o arquivo da mensagem: confira o arquivo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O serviço da Meta está instável no momento: tente de novo em instantes.</source>
        <translation>O serviço da Meta está instável no momento: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta teve uma falha desconhecida ao processar a mensagem: tente de novo em instantes.</source>
        <translation>A Meta teve uma falha desconhecida ao processar a mensagem: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Faltou uma informação obrigatória na mensagem: revise o conteúdo e tente de novo.</source>
        <translation>Faltou uma informação obrigatória na mensagem: revise o conteúdo e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta recusou uma informação da mensagem como inválida: revise o conteúdo e tente de novo.</source>
        <translation>A Meta recusou uma informação da mensagem como inválida: revise o conteúdo e tente de novo.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O destinatário é o próprio número da empresa, que não pode enviar mensagens para si mesmo.</source>
        <translation>O destinatário é o próprio número da empresa, que não pode enviar mensagens para si mesmo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>A conta de WhatsApp Business da empresa foi bloqueada: avise o administrador.</source>
        <translation>A conta de WhatsApp Business da empresa foi bloqueada: avise o administrador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A Meta bloqueou temporariamente os envios deste número por violação das suas políticas: avise o administrador.</source>
        <translation>A Meta bloqueou temporariamente os envios deste número por violação das suas políticas: avise o administrador.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Há um problema de pagamento na conta de WhatsApp Business da empresa: avise o administrador.</source>
        <translation>Há um problema de pagamento na conta de WhatsApp Business da empresa: avise o administrador.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O número da empresa não está registrado no WhatsApp Business: avise o administrador.</source>
        <translation>O número da empresa não está registrado no WhatsApp Business: avise o administrador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A autorização do servidor da empresa na Meta expirou ou foi revogada: avise o administrador para renová-la.</source>
        <translation>A autorização do servidor da empresa na Meta expirou ou foi revogada: avise o administrador para renová-la.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>O servidor da empresa não tem permissão da Meta para enviar por este número: avise o administrador.</source>
        <translation>O servidor da empresa não tem permissão da Meta para enviar por este número: avise o administrador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Este tipo de modelo não pode ser enviado a um cliente identificado só pelo nome de usuário do WhatsApp.</source>
        <translation>Este tipo de modelo não pode ser enviado a um cliente identificado só pelo nome de usuário do WhatsApp.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>A Meta recusou o modelo de mensagem: confira o modelo escolhido e as variáveis preenchidas.</source>
        <translation>A Meta recusou o modelo de mensagem: confira o modelo escolhido e as variáveis preenchidas.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Não houve confirmação de que a Meta recebeu a mensagem: verifique se o cliente a recebeu antes de reenviar, para não mandar duas vezes.</source>
        <translation>Não houve confirmação de que a Meta recebeu a mensagem: verifique se o cliente a recebeu antes de reenviar, para não mandar duas vezes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O servidor da empresa não conseguiu se conectar à Meta: tente de novo em instantes.</source>
        <translation>O servidor da empresa não conseguiu se conectar à Meta: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Sem conexão com o servidor da empresa: verifique a internet e tente de novo.</source>
        <translation>Sem conexão com o servidor da empresa: verifique a internet e tente de novo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O servidor demorou demais para responder: tente de novo em instantes.</source>
        <translation>O servidor demorou demais para responder: tente de novo em instantes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Este computador não está mais autorizado no servidor da empresa: avise o administrador.</source>
        <translation>Este computador não está mais autorizado no servidor da empresa: avise o administrador.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O arquivo é grande demais para ser enviado pelo WhatsApp.</source>
        <translation>O arquivo é grande demais para ser enviado pelo WhatsApp.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>A Meta recusou a mensagem.</source>
        <translation>A Meta recusou a mensagem.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>A Meta recusou a mensagem (código {code}).</source>
        <translation>A Meta recusou a mensagem (código {code}).</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>A quantidade de variáveis preenchidas não corresponde à que o modelo espera.</source>
        <translation>A quantidade de variáveis preenchidas não corresponde à que o modelo espera.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O modelo não existe ou ainda não foi aprovado no idioma escolhido.</source>
        <translation>O modelo não existe ou ainda não foi aprovado no idioma escolhido.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O texto do modelo ficou longo demais depois de preenchidas as variáveis.</source>
        <translation>O texto do modelo ficou longo demais depois de preenchidas as variáveis.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>O conteúdo do modelo viola as políticas do WhatsApp: escolha outro modelo.</source>
        <translation>O conteúdo do modelo viola as políticas do WhatsApp: escolha outro modelo.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Uma variável do modelo está em um formato diferente do esperado.</source>
        <translation>Uma variável do modelo está em um formato diferente do esperado.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O modelo foi pausado pela Meta por baixa qualidade: escolha outro modelo por enquanto.</source>
        <translation>O modelo foi pausado pela Meta por baixa qualidade: escolha outro modelo por enquanto.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>O modelo foi desativado pela Meta depois de várias pausas: escolha outro modelo.</source>
        <translation>O modelo foi desativado pela Meta depois de várias pausas: escolha outro modelo.</translation>
    </message>
</context>
<context>
    <name>PluginsPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/plugins_settings.py" line="+59"/>
        <source>Nenhum plugin de CRM instalado. Os plugins do RD Station CRM, Kommo, Pipedrive e HubSpot vêm com o programa; veja docs/plugins.md.</source>
        <translation>Nenhum plugin de CRM instalado. Os plugins do RD Station CRM, Kommo, Pipedrive e HubSpot vêm com o programa; veja docs/plugins.md.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Este plugin não pode ser usado: {0}.</source>
        <translation>Este plugin não pode ser usado: {0}.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>salvo no cofre do sistema (deixe em branco para manter)</source>
        <translation>salvo no cofre do sistema (deixe em branco para manter)</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Registrar a conversa no CRM ao resolver</source>
        <translation>Registrar a conversa no CRM ao resolver</translation>
    </message>
</context>
<context>
    <name>Previews</name>
    <message>
        <location filename="../../crm_whatsapp/ui/previews.py" line="+20"/>
        <source>Foto</source>
        <translation>Foto</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Áudio</source>
        <translation>Áudio</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeo</source>
        <translation>Vídeo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Documento</source>
        <translation>Documento</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Figurinha</source>
        <translation>Figurinha</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Localização</source>
        <translation>Localização</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Contato</source>
        <translation>Contato</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Modelo</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Novo contato</source>
        <translation>Novo contato</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Mensagem</source>
        <translation>Mensagem</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Você: {0}</source>
        <translation>Você: {0}</translation>
    </message>
</context>
<context>
    <name>Problems</name>
    <message>
        <location filename="../../crm_whatsapp/security/keys.py" line="+93"/>
        <source>Houve um problema com as chaves de criptografia do perfil.</source>
        <translation>Houve um problema com as chaves de criptografia do perfil.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>O cofre de senhas do sistema não está disponível; abra a sessão do usuário ou use a chave de recuperação.</source>
        <translation>O cofre de senhas do sistema não está disponível; abra a sessão do usuário ou use a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>O cofre de senhas do sistema está bloqueado; desbloqueie-o entrando de novo na sessão do usuário ou use a chave de recuperação.</source>
        <translation>O cofre de senhas do sistema está bloqueado; desbloqueie-o entrando de novo na sessão do usuário ou use a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A chave que protege o histórico não foi encontrada no cofre de senhas do sistema; informe a chave de recuperação.</source>
        <translation>A chave que protege o histórico não foi encontrada no cofre de senhas do sistema; informe a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>A chave guardada no cofre de senhas não abre este histórico e nada foi alterado; informe a chave de recuperação.</source>
        <translation>A chave guardada no cofre de senhas não abre este histórico e nada foi alterado; informe a chave de recuperação.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Esta chave de recuperação não pertence a este perfil e nada foi alterado; confira se é a folha deste computador.</source>
        <translation>Esta chave de recuperação não pertence a este perfil e nada foi alterado; confira se é a folha deste computador.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>A chave de recuperação tem um erro de digitação; confira cada grupo com a folha impressa.</source>
        <translation>A chave de recuperação tem um erro de digitação; confira cada grupo com a folha impressa.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Este perfil ainda não tem chaves de criptografia; conclua a configuração inicial.</source>
        <translation>Este perfil ainda não tem chaves de criptografia; conclua a configuração inicial.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Este perfil já tem chaves de criptografia e nenhuma chave nova será criada sobre os dados existentes; use a chave de recuperação se o cofre falhar.</source>
        <translation>Este perfil já tem chaves de criptografia e nenhuma chave nova será criada sobre os dados existentes; use a chave de recuperação se o cofre falhar.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Há um histórico neste perfil, mas o arquivo de chaves (keys.json) sumiu; restaure-o de um backup, pois uma chave nova não abriria os dados antigos.</source>
        <translation>Há um histórico neste perfil, mas o arquivo de chaves (keys.json) sumiu; restaure-o de um backup, pois uma chave nova não abriria os dados antigos.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>O arquivo de chaves do perfil (keys.json) está danificado ou é de uma versão mais nova; restaure-o de um backup ou atualize o aplicativo.</source>
        <translation>O arquivo de chaves do perfil (keys.json) está danificado ou é de uma versão mais nova; restaure-o de um backup ou atualize o aplicativo.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/session.py" line="+210"/>
        <source>O inbox não está conectado ao relay.</source>
        <translation>O inbox não está conectado ao relay.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Sem conexão com o relay; tente de novo quando a conexão voltar.</source>
        <translation>Sem conexão com o relay; tente de novo quando a conexão voltar.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Não foi possível carregar os modelos aprovados.</source>
        <translation>Não foi possível carregar os modelos aprovados.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>O relay recusou a alteração; tente de novo.</source>
        <translation>O relay recusou a alteração; tente de novo.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/store/database.py" line="+40"/>
        <source>O banco de dados criptografado (SQLCipher) não está disponível nesta instalação; reinstale o aplicativo.</source>
        <translation>O banco de dados criptografado (SQLCipher) não está disponível nesta instalação; reinstale o aplicativo.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>O histórico não pôde ser aberto com esta chave; nada foi alterado. Use a chave de recuperação.</source>
        <translation>O histórico não pôde ser aberto com esta chave; nada foi alterado. Use a chave de recuperação.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/sync/client.py" line="+72"/>
        <source>O relay recusou este computador (dispositivo revogado ou desconhecido); peça um novo código ao administrador.</source>
        <translation>O relay recusou este computador (dispositivo revogado ou desconhecido); peça um novo código ao administrador.</translation>
    </message>
    <message>
        <location line="+130"/>
        <source>Não foi possível sincronizar com o relay; verifique o endereço e a conexão.</source>
        <translation>Não foi possível sincronizar com o relay; verifique o endereço e a conexão.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/sync/media.py" line="+103"/>
        <source>A mídia não está mais disponível no WhatsApp (expira em 7 dias).</source>
        <translation>A mídia não está mais disponível no WhatsApp (expira em 7 dias).</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>O relay não conseguiu baixar a mídia agora.</source>
        <translation>O relay não conseguiu baixar a mídia agora.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>A mídia passa do limite de 100 MB.</source>
        <translation>A mídia passa do limite de 100 MB.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Sem conexão com o relay para baixar a mídia.</source>
        <translation>Sem conexão com o relay para baixar a mídia.</translation>
    </message>
    <message>
        <location filename="../../crm_whatsapp/workspace.py" line="+54"/>
        <source>Este computador ainda não foi conectado ao relay; use &apos;crm-whatsapp enroll ENDEREÇO CÓDIGO&apos;.</source>
        <translation>Este computador ainda não foi conectado ao relay; use &apos;crm-whatsapp enroll ENDEREÇO CÓDIGO&apos;.</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Não foi possível gravar na pasta do perfil; confira as permissões da pasta (ou a variável CRM_WHATSAPP_HOME) e tente de novo.</source>
        <translation>Não foi possível gravar na pasta do perfil; confira as permissões da pasta (ou a variável CRM_WHATSAPP_HOME) e tente de novo.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>O código de ativação já foi usado, mas este computador não conseguiu guardar a conexão; peça ao administrador que revogue o dispositivo com &apos;crm-whatsapp-relay device revoke {0}&apos; e gere um código novo com &apos;crm-whatsapp-relay device add&apos;.</source>
        <translation>O código de ativação já foi usado, mas este computador não conseguiu guardar a conexão; peça ao administrador que revogue o dispositivo com &apos;crm-whatsapp-relay device revoke {0}&apos; e gere um código novo com &apos;crm-whatsapp-relay device add&apos;.</translation>
    </message>
</context>
<context>
    <name>RecoveryPage</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+17"/>
        <source>Chave de recuperação</source>
        <translation>Chave de recuperação</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Esta chave abre o histórico num computador novo ou se o cofre de senhas do sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num pendrive guardado, nunca no próprio computador.</source>
        <translation>Esta chave abre o histórico num computador novo ou se o cofre de senhas do sistema se perder. Ela só é mostrada agora: imprima, anote ou salve num pendrive guardado, nunca no próprio computador.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Copiar</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Salvar em arquivo…</source>
        <translation>Salvar em arquivo…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Guardei a chave de recuperação em lugar seguro</source>
        <translation>Guardei a chave de recuperação em lugar seguro</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.</source>
        <translation>Chave copiada. Cole-a num lugar seguro e limpe a área de transferência.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Salvar chave de recuperação</source>
        <translation>Salvar chave de recuperação</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Texto (*.txt)</source>
        <translation>Texto (*.txt)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>chave-de-recuperacao-crm-whatsapp.txt</source>
        <translation>chave-de-recuperacao-crm-whatsapp.txt</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>CRM WhatsApp — chave de recuperação</source>
        <translation>CRM WhatsApp — chave de recuperação</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Computador: {0}</source>
        <translation>Computador: {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Guarde esta folha longe do computador. Quem tiver esta chave e o arquivo do perfil consegue ler o histórico.</source>
        <translation>Guarde esta folha longe do computador. Quem tiver esta chave e o arquivo do perfil consegue ler o histórico.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive.</source>
        <translation>Não foi possível salvar o arquivo; escolha outra pasta ou um pendrive.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Chave salva em {0}.</source>
        <translation>Chave salva em {0}.</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/settings_dialog.py" line="+92"/>
        <source>Configurações</source>
        <extracomment>Sizes pre-rendered into every icon: the 16/24/32/48 px the widgets ask for, and their 2x counterparts so HiDPI screens get a sharp pixmap instead of an upscaled one. The product icon also feeds the window manager, task bar and tray, which ask for more. The colour line icons are drawn in on each theme&apos;s bars, for ``icon(name, ICON_COLOR[theme])``: the style sheets&apos; neutral grey on light, a light grey on dark (both &gt;= 4.5:1 on their panels). The send button is a green disc in both themes and takes &quot;#FFFFFF&quot; instead.</extracomment>
        <translation>Configurações</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>Geral</source>
        <translation>Geral</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Notificações</source>
        <translation>Notificações</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Relay</source>
        <translation>Relay</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Respostas rápidas</source>
        <translation>Respostas rápidas</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CRM</source>
        <translation>CRM</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+16"/>
        <location line="+5"/>
        <source>Sistema</source>
        <translation>Sistema</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Claro</source>
        <translation>Claro</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Escuro</source>
        <translation>Escuro</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Para sempre</source>
        <translation>Para sempre</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+94"/>
        <source>{0} meses</source>
        <translation>{0} meses</translation>
    </message>
    <message>
        <location line="-92"/>
        <source>Idioma:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Tema:</source>
        <translation>Tema:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Guardar o histórico:</source>
        <translation>Guardar o histórico:</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Mostrar notificação na área de trabalho quando chegar mensagem</source>
        <translation>Mostrar notificação na área de trabalho quando chegar mensagem</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Tocar som ao chegar mensagem</source>
        <translation>Tocar som ao chegar mensagem</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Para conectar este computador a outro relay, ou de novo ao mesmo, é preciso um código de ativação novo, gerado pelo administrador.</source>
        <translation>Para conectar este computador a outro relay, ou de novo ao mesmo, é preciso um código de ativação novo, gerado pelo administrador.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Endereço do relay:</source>
        <translation>Endereço do relay:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nome deste computador:</source>
        <translation>Nome deste computador:</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Atalho</source>
        <translation>Atalho</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Texto</source>
        <translation>Texto</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>ex.: bomdia</source>
        <translation>ex.: bomdia</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Texto enviado ao digitar /atalho</source>
        <translation>Texto enviado ao digitar /atalho</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Nova</source>
        <translation>Nova</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Salvar resposta</source>
        <translation>Salvar resposta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Remover</source>
        <translation>Remover</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Atalho:</source>
        <translation>Atalho:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Texto:</source>
        <translation>Texto:</translation>
    </message>
    <message>
        <location line="+161"/>
        <source>Não foi possível guardar a chave da API ou as informações do escritório; confira o cofre de senhas do sistema e tente de novo.</source>
        <translation>Não foi possível guardar a chave da API ou as informações do escritório; confira o cofre de senhas do sistema e tente de novo.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>Não foi possível salvar as configurações dos plugins de CRM; confira o cofre de senhas do sistema e o espaço em disco e tente de novo.</source>
        <translation>Não foi possível salvar as configurações dos plugins de CRM; confira o cofre de senhas do sistema e o espaço em disco e tente de novo.</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>O endereço da API do Copilot deve começar com https://.</source>
        <translation>O endereço da API do Copilot deve começar com https://.</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Não foi possível salvar as configurações; verifique o espaço em disco e tente de novo.</source>
        <translation>Não foi possível salvar as configurações; verifique o espaço em disco e tente de novo.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../crm_whatsapp/ui/wizard.py" line="+35"/>
        <source>Configurar o CRM WhatsApp</source>
        <translation>Configurar o CRM WhatsApp</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Voltar</source>
        <translation>Voltar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Avançar</source>
        <translation>Avançar</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>Conectar</source>
        <translation>Conectar</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Concluir</source>
        <translation>Concluir</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Este computador já tem um histórico protegido; informe um código de ativação novo para conectá-lo de novo ao relay.</source>
        <translation>Este computador já tem um histórico protegido; informe um código de ativação novo para conectá-lo de novo ao relay.</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>Não foi possível concluir a configuração; tente de novo e, se continuar, chame o suporte.</source>
        <translation>Não foi possível concluir a configuração; tente de novo e, se continuar, chame o suporte.</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>Guarde a chave de recuperação e marque a confirmação para concluir.</source>
        <translation>Guarde a chave de recuperação e marque a confirmação para concluir.</translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <location filename="../../crm_whatsapp/domain/meta_errors.py" line="+37"/>
        <source>Enviando…</source>
        <translation>Enviando…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Aceita pela Meta</source>
        <translation>Aceita pela Meta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Enviada</source>
        <translation>Enviada</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Entregue</source>
        <translation>Entregue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Lida</source>
        <translation>Lida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Falhou</source>
        <translation>Falhou</translation>
    </message>
</context>
<context>
    <name>SuggestionBar</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/suggestion_bar.py" line="+35"/>
        <source>Mais formal</source>
        <translation>Mais formal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais simpática</source>
        <translation>Mais simpática</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Mais curta</source>
        <translation>Mais curta</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Corrigir</source>
        <translation>Corrigir</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>resposta rápida</source>
        <translation>resposta rápida</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>modelo aprovado {0}</source>
        <translation>modelo aprovado {0}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>modelo de IA</source>
        <translation>modelo de IA</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>usada {0}× pela equipe</source>
        <translation>usada {0}× pela equipe</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>resposta da equipe</source>
        <translation>resposta da equipe</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>Copilot</source>
        <translation>Copilot</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resumir, reescrever, traduzir</source>
        <translation>Resumir, reescrever, traduzir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resumir a conversa</source>
        <translation>Resumir a conversa</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Reescrever o rascunho</source>
        <translation>Reescrever o rascunho</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Traduzir a mensagem do cliente</source>
        <translation>Traduzir a mensagem do cliente</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>O que sai deste computador</source>
        <translation>O que sai deste computador</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>Modelo: {0}</source>
        <translation>Modelo: {0}</translation>
    </message>
</context>
<context>
    <name>TemplateDialog</name>
    <message>
        <location filename="../../crm_whatsapp/ui/template_dialog.py" line="+53"/>
        <source>Imagens (*.jpg *.jpeg *.png)</source>
        <translation>Imagens (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Vídeos (*.mp4 *.3gp)</source>
        <translation>Vídeos (*.mp4 *.3gp)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Documentos (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)</source>
        <translation>Documentos (*.pdf *.doc *.docx *.xls *.xlsx *.ppt *.pptx *.txt)</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>Enviar modelo aprovado</source>
        <translation>Enviar modelo aprovado</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>Nenhum modelo aprovado está disponível.</source>
        <translation>Nenhum modelo aprovado está disponível.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Preencha as variáveis</source>
        <translation>Preencha as variáveis</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>Enviar modelo</source>
        <translation>Enviar modelo</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Cancelar</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Texto do modelo:</source>
        <translation>Texto do modelo:</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Como o cliente vai ler:</source>
        <translation>Como o cliente vai ler:</translation>
    </message>
    <message>
        <location line="+85"/>
        <source>Escolher arquivo…</source>
        <translation>Escolher arquivo…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Cabeçalho:</source>
        <translation>Cabeçalho:</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Cabeçalho {0}</source>
        <translation>Cabeçalho {0}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Botão “{0}”</source>
        <translation>Botão “{0}”</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Este modelo pede um cabeçalho de localização ou botões de código, e ainda não pode ser enviado por aqui.</source>
        <translation>Este modelo pede um cabeçalho de localização ou botões de código, e ainda não pode ser enviado por aqui.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Arquivo do cabeçalho</source>
        <translation>Arquivo do cabeçalho</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>Escolha um arquivo de até 16 MB para o cabeçalho.</source>
        <translation>Escolha um arquivo de até 16 MB para o cabeçalho.</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>Não foi possível ler o arquivo do cabeçalho.</source>
        <translation>Não foi possível ler o arquivo do cabeçalho.</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+3"/>
        <source>ex.: {0}</source>
        <translation>ex.: {0}</translation>
    </message>
</context>
<context>
    <name>ThreadHeader</name>
    <message>
        <location filename="../../crm_whatsapp/ui/widgets/header.py" line="+83"/>
        <source>Atribuir</source>
        <translation>Atribuir</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Etiquetas</source>
        <translation>Etiquetas</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Nota interna (só a equipe vê)</source>
        <translation>Nota interna (só a equipe vê)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Pendente</source>
        <translation>Pendente</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>Nenhuma conversa aberta</source>
        <translation>Nenhuma conversa aberta</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>janela aberta: {0}</source>
        <translation>janela aberta: {0}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>janela de 24 h fechada</source>
        <translation>janela de 24 h fechada</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>com {0}</source>
        <translation>com {0}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>sem responsável</source>
        <translation>sem responsável</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Reabrir</source>
        <translation>Reabrir</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Resolver</source>
        <translation>Resolver</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Atribuir a mim</source>
        <translation>Atribuir a mim</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Devolver para a fila</source>
        <translation>Devolver para a fila</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>Transferir para {0}</source>
        <translation>Transferir para {0}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Transferir para…</source>
        <translation>Transferir para…</translation>
    </message>
</context>
<context>
    <name>VoicePlayer</name>
    <message>
        <location filename="../../crm_whatsapp/ui/voice.py" line="+121"/>
        <location line="+45"/>
        <source>Não foi possível tocar este áudio.</source>
        <translation>Não foi possível tocar este áudio.</translation>
    </message>
</context>
<context>
    <name>Window</name>
    <message>
        <location filename="../../crm_whatsapp/domain/window.py" line="+49"/>
        <source>menos de 1 min</source>
        <extracomment>What a typed phone number may hold besides digits (NBSP: pasted from web pages).</extracomment>
        <translation>menos de 1 min</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{minutes} min</source>
        <translation>{minutes} min</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{hours} h {minutes:02d} min</source>
        <translation>{hours} h {minutes:02d} min</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{hours} h</source>
        <translation>{hours} h</translation>
    </message>
</context>
</TS>
