"""Made-up coaching records for the demo and the scale data, in English and Spanish.

`CoachingPlanner` invents a provider's coaching history: contacts from the first
contact on (an intake call, then visits, calls, texts...) by the provider's coach or
a colleague covering, with topics from the managed list, a summary shared with the
provider, notes for staff and next steps, all in the provider's preferred language;
the action items agreed in them (open, some overdue, done with a comment, dropped);
and, for part of the providers, one or two business goals with dated progress notes.

`seed_coaching_demo()` replays those plans through the coaching services (audit
trail included) and back-dates them, like `fccnet.demo`; `generate_coaching()` writes
them with bulk inserts for any number of providers, like `fccnet.demo_scale`.
Everything is drawn from seeded generators; nothing here commits.
"""

import itertools
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import bindparam, insert, select, update

from fccnet.auth.models import Role, User
from fccnet.clock import local_date, local_today, network_zone
from fccnet.coaching.models import (
    ActionItem,
    ActionStatus,
    CoachingTopic,
    Contact,
    ContactMode,
    Goal,
    GoalProgress,
    GoalStatus,
    ItemOwner,
    contact_topics,
)
from fccnet.coaching.services import (
    ActionItemInput,
    ContactInput,
    GoalInput,
    add_goal_progress,
    close_action_item,
    create_action_item,
    create_goal,
    log_contact,
    update_goal,
)
from fccnet.database import utcnow
from fccnet.demo_scale import (
    LICENSED,
    OPEN_STAGES,
    SEED,
    active_coach_ids,
    reserve_ids,
    resync_sequences_of,
    seeded,
)
from fccnet.extensions import db
from fccnet.licensing.models import Stage
from fccnet.providers.models import Provider

CONTACTS_PER_PROVIDER = 10  # on average; action items come to about half as many
INTAKE, START_UP, BUDGET, RECORDS, CONTRACTS, MARKETING = (
    "intake",
    "Business plan and start-up",
    "Budgeting and cash flow",
    "Recordkeeping and taxes",
    "Contracts, policies and family handbook",
    "Marketing and enrollment",
)
SUBSIDIES, INSURANCE, LICENSING, TECHNOLOGY, EMPLOYER, FAMILIES, GROWTH = (
    "Care 4 Kids, the food program (CACFP) and grants",
    "Insurance and risk",
    "Licensing compliance",
    "Technology and child care management software",
    "Provider as employer",
    "Family communication",
    "Professional development and credentials",
)


@dataclass(frozen=True)
class TopicText:
    """What a coach writes about one topic, in one language."""

    summaries: tuple[str, ...]  # a visit, call or meeting (shared with the provider)
    message: str  # a text or an email
    next_steps: tuple[str, ...]
    provider_actions: tuple[str, ...]
    coach_actions: tuple[str, ...]


# fmt: off
TOPIC_TEXT: dict[str, dict[str, TopicText]] = {
    "en": {
        INTAKE: TopicText(
            (
                "First call: she wants to open a family child care in her home. We went over "
                "the steps to get licensed and the date of the next orientation.",
                "She heard about the network from another provider. We talked about what "
                "family child care involves, the license, and the help the network offers.",
                "First meeting at the office. She cares for her grandchildren now and wants to "
                "take in two more children; we went over why she needs a license for that.",
            ),
            "Answered her message from the website with the orientation dates and our phone "
            "number.",
            (
                "Come to the orientation; bring questions.",
                "Read the licensing guide before the next call.",
            ),
            ("Sign up for the next orientation", "Read the OEC licensing guide"),
            ("Send the orientation dates and the licensing guide",),
        ),
        START_UP: TopicText(
            (
                "We listed the start-up costs: smoke and carbon monoxide detectors, a fire "
                "extinguisher, outlet covers, cots and toys come to about $1,200. We looked at "
                "which of them the start-up grant can pay for.",
                "We worked on the one-page business plan: who she wants to serve, her hours, and "
                "what families in the neighborhood pay for care.",
                "We set her weekly rates by comparing what other family child care homes nearby "
                "charge, and worked out how many children she needs to cover her costs.",
            ),
            "Sent the business plan template and the list of start-up grants.",
            (
                "Finish the start-up cost list and bring it to the next visit.",
                "Call two providers nearby to ask about their rates.",
            ),
            (
                "Write down the start-up costs with prices from the store",
                "Fill in the first page of the business plan template",
                "Decide on the hours the program will be open",
            ),
            (
                "Send the business plan template",
                "Find out when the next start-up grant round opens",
            ),
        ),
        BUDGET: TopicText(
            (
                "We went through last month's income and expenses. Food and supplies were higher "
                "than planned; we found two places to save.",
                "We made a simple monthly budget: tuition and Care 4 Kids payments in; food, "
                "supplies, phone and insurance out.",
                "We talked about keeping a cushion for the months when a family leaves or a "
                "payment comes late, and setting money aside for taxes every week.",
            ),
            "Reminder to bring this month's receipts to our next meeting.",
            (
                "Keep every receipt in the envelope for a month.",
                "Open a separate bank account for the business.",
            ),
            (
                "Open a separate bank account for the child care business",
                "Keep a month of receipts in the envelopes by category",
                "Set aside $25 a week for taxes",
            ),
            (
                "Print the monthly budget worksheet",
                "Share the list of banks with free small business accounts",
            ),
        ),
        RECORDS: TopicText(
            (
                "We went over the records to keep all year: attendance, receipts, mileage, and "
                "the hours the home is used for child care.",
                "We worked out her time-space percentage together: the rooms used for child care "
                "and the hours they are used each week.",
                "We looked at last year's tax return and what she can deduct as a family child "
                "care business. She will ask her tax preparer about the standard meal rate.",
            ),
            "Emailed the recordkeeping checklist and the IRS guide for family child care.",
            (
                "Start the attendance and mileage logs this week.",
                "Make an appointment with a tax preparer who knows family child care.",
            ),
            (
                "Log the hours the home is used for child care for two weeks",
                "Bring last year's tax return to the next visit",
                "Start a mileage log for trips for the program",
            ),
            ("Send the list of free tax help sites (VITA)", "Print the time-space worksheet"),
        ),
        CONTRACTS: TopicText(
            (
                "We read through the sample parent contract and changed it for her program: "
                "hours, rates, the late pickup fee and vacation weeks.",
                "We drafted the sick-child and late-payment policies for the family handbook.",
                "We talked about a family who keeps paying late, and how her contract and "
                "payment policy protect her.",
            ),
            "Sent the sample contract and family handbook as Word files so she can edit them.",
            (
                "Finish the handbook draft; we will read it together next time.",
                "Have every family sign the new contract before the first of the month.",
            ),
            (
                "Fill in the sample contract with her rates and hours",
                "Write the sick-child policy for the handbook",
                "Have current families sign the updated contract",
            ),
            (
                "Send the sample parent contract and family handbook",
                "Read the handbook draft and send comments",
            ),
        ),
        MARKETING: TopicText(
            (
                "She has two openings. We wrote a short description of her program for 2-1-1 "
                "Child Care and planned flyers for the library and the laundromat.",
                "We practiced giving a tour to a family: what to show, what to ask and how to "
                "follow up afterwards.",
                "We set up a Facebook page for the program and talked about which photos she "
                "can post (no children's faces without the parents' permission).",
            ),
            "Asked how the open house went: three families came and one wants to start next "
            "month.",
            (
                "Update the listing with 2-1-1 Child Care.",
                "Put up flyers at the library and the church.",
            ),
            (
                "Update the program listing with 2-1-1 Child Care",
                "Print and post the enrollment flyer",
                "Call back the two families on the waiting list",
            ),
            ("Design the enrollment flyer with her", "Send the tour checklist"),
        ),
        SUBSIDIES: TopicText(
            (
                "We went through the Care 4 Kids provider forms and how to report attendance "
                "each month so payments arrive on time.",
                "We talked about joining the CACFP food program: the meal patterns, the menus to "
                "keep and how the reimbursement works.",
                "We looked at the grants open now for family child care and which one fits her "
                "plans for the outdoor play area.",
            ),
            "Sent the link to the Care 4 Kids provider portal and the CACFP sponsor's number.",
            (
                "Send the Care 4 Kids provider registration this week.",
                "Call the CACFP sponsor to schedule the first visit.",
            ),
            (
                "Send the Care 4 Kids provider registration form",
                "Call the CACFP sponsor to sign up",
                "Write the two paragraphs for the grant application",
            ),
            (
                "Ask Care 4 Kids about the late payment",
                "Send the grant application and its deadline",
            ),
        ),
        INSURANCE: TopicText(
            (
                "We talked about liability insurance for family child care and why her "
                "renter's policy does not cover the business.",
                "We went over the emergency plan: exits, where to meet outside, the go-bag and "
                "the phone list for families.",
                "We compared two liability insurance quotes and what each one covers.",
            ),
            "Sent the names of two agents who insure family child care homes.",
            (
                "Ask two agents for liability insurance quotes.",
                "Practice the fire drill with the children and write down the date.",
            ),
            (
                "Ask two agents for liability insurance quotes",
                "Tell the landlord's insurer about the child care business",
                "Practice a fire drill and log the date",
            ),
            (
                "Send the emergency plan template",
                "Send the list of agents who insure family child care",
            ),
        ),
        LICENSING: TopicText(
            (
                "We walked through the home with the licensing checklist: outlet covers, the gate "
                "on the stairs, medicines locked up and the first aid kit.",
                "We went over the documents for the application: references, the medical "
                "statement, and background checks for the adults in the home.",
                "We got ready for the inspection: what the inspector looks at and the records to "
                "have on hand.",
            ),
            "Reminder that the inspection is next week; have the fire extinguisher tag checked.",
            (
                "Buy the gate for the stairs and cover the outlets in the playroom.",
                "Ask her doctor to fill in the medical statement.",
            ),
            (
                "Install the gate at the top of the stairs",
                "Get the medical statement signed by her doctor",
                "Lock the medicines and cleaning products in a high cabinet",
            ),
            (
                "Ask OEC about the status of her application",
                "Bring the licensing checklist to the home visit",
            ),
        ),
        TECHNOLOGY: TopicText(
            (
                "We set up a free child care app for attendance and messages to families, and "
                "entered the children she cares for now.",
                "We made an email address for the business and set up a password manager on her "
                "phone.",
                "We looked at how to take tuition payments online and send receipts from her "
                "phone.",
            ),
            "Emailed the step-by-step guide for the attendance app.",
            (
                "Use the app for attendance every day this week.",
                "Invite the families to the app.",
            ),
            (
                "Use the attendance app every day for a week",
                "Invite the families to the messaging app",
                "Set up online payments for tuition",
            ),
            ("Send the video guide for the app", "Ask the library about free computer classes"),
        ),
        EMPLOYER: TopicText(
            (
                "She wants to hire an assistant and grow to a group home. We went over what being "
                "an employer means: payroll, taxes and workers' compensation.",
                "We talked about the background check and the training an assistant needs "
                "before working with the children.",
                "We went over paying her daughter as a substitute: the records to keep and how it "
                "affects her taxes.",
            ),
            "Sent the link to the state's guide for new employers.",
            (
                "Write a short job description for the assistant.",
                "Ask a payroll service for a price.",
            ),
            (
                "Write a job description for an assistant",
                "Get a price from a payroll service",
                "Start the background check for the substitute",
            ),
            ("Send the new employer checklist", "Find out which trainings an assistant needs"),
        ),
        FAMILIES: TopicText(
            (
                "We talked about a hard conversation with a parent who picks up late, and "
                "practiced what to say.",
                "We made a simple daily report for families: meals, naps, diapers and one thing "
                "the child learned.",
                "We planned a family night at the end of the month to share photos of the "
                "children's work.",
            ),
            "Sent a short message template for reminding families about payments.",
            (
                "Try the daily report with two families.",
                "Talk to the family about pickup times this week.",
            ),
            (
                "Try the daily report with two families",
                "Talk with the family about the pickup time",
                "Send the invitations for the family night",
            ),
            ("Send the daily report template", "Translate the letter to parents into Spanish"),
        ),
        GROWTH: TopicText(
            (
                "We made her training plan for the year: the CPR renewal, the medication course "
                "and two business workshops.",
                "We talked about the CDA credential: the training hours, the portfolio and the "
                "observation.",
                "We updated her profile in the Early Childhood Professional Registry with the "
                "trainings she finished.",
            ),
            "Sent the dates of the next trainings on the network calendar.",
            (
                "Sign up for the CPR renewal class.",
                "Add the finished trainings to the Registry.",
            ),
            (
                "Register for the CPR renewal class",
                "Add the finished trainings to the Registry",
                "Start the CDA portfolio with the first two sections",
            ),
            ("Send the dates of the CDA information session", "Check her training hours this year"),
        ),
    },
    "es": {
        INTAKE: TopicText(
            (
                "Primera llamada: quiere abrir un cuidado infantil familiar en su casa. Repasamos "
                "los pasos para obtener la licencia y la fecha de la próxima orientación.",
                "Supo de la red por otra proveedora. Hablamos de lo que implica el cuidado "
                "infantil familiar, la licencia y la ayuda que ofrece la red.",
                "Primera reunión en la oficina. Ahora cuida a sus nietos y quiere recibir dos "
                "niños más; le explicamos por qué necesita una licencia para eso.",
            ),
            "Respondí su mensaje de la página web con las fechas de la orientación y nuestro "
            "teléfono.",
            (
                "Venir a la orientación con sus preguntas.",
                "Leer la guía de licencias antes de la próxima llamada.",
            ),
            ("Inscribirse en la próxima orientación", "Leer la guía de licencias de OEC"),
            ("Enviar las fechas de la orientación y la guía de licencias",),
        ),
        START_UP: TopicText(
            (
                "Hicimos la lista de gastos iniciales: detectores de humo y de monóxido de "
                "carbono, extintor, tapas para enchufes, catres y juguetes suman unos $1,200. "
                "Vimos cuáles puede pagar la subvención de inicio.",
                "Trabajamos en el plan de negocios de una página: a quién quiere atender, su "
                "horario y cuánto pagan las familias del barrio por el cuidado.",
                "Fijamos sus tarifas semanales comparando lo que cobran otros hogares de cuidado "
                "infantil cercanos, y calculamos cuántos niños necesita para cubrir sus gastos.",
            ),
            "Le envié la plantilla del plan de negocios y la lista de subvenciones de inicio.",
            (
                "Terminar la lista de gastos iniciales y traerla a la próxima visita.",
                "Llamar a dos proveedoras cercanas para preguntar sus tarifas.",
            ),
            (
                "Anotar los gastos iniciales con los precios de la tienda",
                "Llenar la primera página de la plantilla del plan de negocios",
                "Decidir el horario en que abrirá el programa",
            ),
            (
                "Enviar la plantilla del plan de negocios",
                "Averiguar cuándo abre la próxima ronda de subvenciones de inicio",
            ),
        ),
        BUDGET: TopicText(
            (
                "Revisamos los ingresos y gastos del mes pasado. La comida y los materiales "
                "costaron más de lo previsto; encontramos dos maneras de ahorrar.",
                "Hicimos un presupuesto mensual sencillo: entran las cuotas y los pagos de Care 4 "
                "Kids; salen la comida, los materiales, el teléfono y el seguro.",
                "Hablamos de guardar un colchón para los meses en que una familia se va o un "
                "pago llega tarde, y de apartar dinero para los impuestos cada semana.",
            ),
            "Recordatorio: traer los recibos de este mes a nuestra próxima reunión.",
            (
                "Guardar todos los recibos en el sobre durante un mes.",
                "Abrir una cuenta de banco aparte para el negocio.",
            ),
            (
                "Abrir una cuenta de banco aparte para el negocio de cuidado infantil",
                "Guardar los recibos de un mes en los sobres por categoría",
                "Apartar $25 por semana para los impuestos",
            ),
            (
                "Imprimir la hoja del presupuesto mensual",
                "Compartir la lista de bancos con cuentas gratis para pequeños negocios",
            ),
        ),
        RECORDS: TopicText(
            (
                "Repasamos los registros que hay que llevar todo el año: asistencia, recibos, "
                "millaje y las horas en que la casa se usa para el cuidado infantil.",
                "Calculamos juntas su porcentaje de tiempo y espacio: los cuartos que usa para "
                "el cuidado y las horas por semana.",
                "Miramos la declaración de impuestos del año pasado y lo que puede deducir como "
                "negocio de cuidado infantil familiar. Le preguntará a su preparador por la "
                "tarifa estándar de comidas.",
            ),
            "Le envié por correo la lista de registros y la guía del IRS para el cuidado "
            "infantil familiar.",
            (
                "Empezar esta semana los registros de asistencia y de millaje.",
                "Hacer una cita con un preparador de impuestos que conozca el cuidado infantil "
                "familiar.",
            ),
            (
                "Anotar durante dos semanas las horas de uso de la casa para el cuidado",
                "Traer la declaración de impuestos del año pasado a la próxima visita",
                "Empezar un registro de millaje de los viajes del programa",
            ),
            (
                "Enviar la lista de sitios de ayuda gratis con los impuestos (VITA)",
                "Imprimir la hoja de tiempo y espacio",
            ),
        ),
        CONTRACTS: TopicText(
            (
                "Leímos el contrato modelo para los padres y lo adaptamos a su programa: horario, "
                "tarifas, el cargo por recoger tarde y las semanas de vacaciones.",
                "Redactamos las políticas de niños enfermos y de pagos atrasados para el manual "
                "de las familias.",
                "Hablamos de una familia que siempre paga tarde y de cómo la protegen su "
                "contrato y su política de pagos.",
            ),
            "Le envié el contrato y el manual modelo en Word para que pueda editarlos.",
            (
                "Terminar el borrador del manual; lo leeremos juntas la próxima vez.",
                "Pedir a todas las familias que firmen el contrato nuevo antes del primero de mes.",
            ),
            (
                "Llenar el contrato modelo con sus tarifas y su horario",
                "Escribir la política de niños enfermos para el manual",
                "Pedir a las familias actuales que firmen el contrato nuevo",
            ),
            (
                "Enviar el contrato y el manual modelo para las familias",
                "Leer el borrador del manual y enviarle comentarios",
            ),
        ),
        MARKETING: TopicText(
            (
                "Tiene dos cupos libres. Escribimos una descripción corta de su programa para "
                "2-1-1 Child Care y planeamos volantes para la biblioteca y la lavandería.",
                "Practicamos cómo mostrar la casa a una familia: qué enseñar, qué preguntar y "
                "cómo dar seguimiento después.",
                "Creamos una página de Facebook para el programa y hablamos de qué fotos puede "
                "publicar (nunca caras de niños sin permiso de los padres).",
            ),
            "Le pregunté cómo le fue en la casa abierta: vinieron tres familias y una quiere "
            "empezar el mes que viene.",
            (
                "Actualizar su anuncio en 2-1-1 Child Care.",
                "Poner volantes en la biblioteca y en la iglesia.",
            ),
            (
                "Actualizar el anuncio del programa en 2-1-1 Child Care",
                "Imprimir y poner el volante de inscripción",
                "Devolver la llamada a las dos familias en lista de espera",
            ),
            ("Diseñar con ella el volante de inscripción", "Enviar la guía para las visitas"),
        ),
        SUBSIDIES: TopicText(
            (
                "Revisamos los formularios de proveedora de Care 4 Kids y cómo reportar la "
                "asistencia cada mes para cobrar a tiempo.",
                "Hablamos de entrar al programa de alimentos CACFP: los patrones de comidas, los "
                "menús que hay que guardar y cómo funciona el reembolso.",
                "Miramos las subvenciones abiertas para el cuidado infantil familiar y cuál le "
                "sirve para su área de juego al aire libre.",
            ),
            "Le envié el enlace al portal de proveedores de Care 4 Kids y el teléfono del "
            "patrocinador de CACFP.",
            (
                "Enviar esta semana la inscripción de proveedora de Care 4 Kids.",
                "Llamar al patrocinador de CACFP para programar la primera visita.",
            ),
            (
                "Enviar el formulario de inscripción de proveedora de Care 4 Kids",
                "Llamar al patrocinador de CACFP para inscribirse",
                "Escribir los dos párrafos de la solicitud de subvención",
            ),
            (
                "Preguntar a Care 4 Kids por el pago atrasado",
                "Enviar la solicitud de subvención y su fecha límite",
            ),
        ),
        INSURANCE: TopicText(
            (
                "Hablamos del seguro de responsabilidad para el cuidado infantil familiar y de "
                "por qué su seguro de inquilina no cubre el negocio.",
                "Repasamos el plan de emergencia: salidas, dónde reunirse afuera, la mochila de "
                "emergencia y la lista de teléfonos de las familias.",
                "Comparamos dos cotizaciones de seguro de responsabilidad y lo que cubre cada una.",
            ),
            "Le envié los nombres de dos agentes que aseguran hogares de cuidado infantil.",
            (
                "Pedir cotizaciones de seguro de responsabilidad a dos agentes.",
                "Practicar el simulacro de incendio con los niños y anotar la fecha.",
            ),
            (
                "Pedir cotizaciones de seguro de responsabilidad a dos agentes",
                "Avisar al seguro del dueño de la casa sobre el negocio de cuidado infantil",
                "Practicar un simulacro de incendio y anotar la fecha",
            ),
            (
                "Enviar la plantilla del plan de emergencia",
                "Enviar la lista de agentes que aseguran cuidado infantil familiar",
            ),
        ),
        LICENSING: TopicText(
            (
                "Recorrimos la casa con la lista de la licencia: tapas en los enchufes, la reja "
                "de la escalera, medicinas bajo llave y el botiquín de primeros auxilios.",
                "Repasamos los documentos de la solicitud: referencias, el certificado médico y "
                "las verificaciones de antecedentes de los adultos de la casa.",
                "Nos preparamos para la inspección: qué revisa el inspector y qué registros "
                "tener a mano.",
            ),
            "Recordatorio: la inspección es la semana que viene; revisar la etiqueta del extintor.",
            (
                "Comprar la reja para la escalera y tapar los enchufes del cuarto de juegos.",
                "Pedir a su médico que llene el certificado médico.",
            ),
            (
                "Poner la reja arriba de la escalera",
                "Conseguir el certificado médico firmado por su médico",
                "Guardar las medicinas y los productos de limpieza en un gabinete alto",
            ),
            (
                "Preguntar a OEC cómo va su solicitud",
                "Llevar la lista de la licencia a la visita al hogar",
            ),
        ),
        TECHNOLOGY: TopicText(
            (
                "Instalamos una aplicación gratis de cuidado infantil para la asistencia y los "
                "mensajes a las familias, y entramos a los niños que cuida ahora.",
                "Creamos un correo electrónico para el negocio y un administrador de contraseñas "
                "en su teléfono.",
                "Vimos cómo cobrar las cuotas por internet y enviar recibos desde el teléfono.",
            ),
            "Le envié por correo la guía paso a paso de la aplicación de asistencia.",
            (
                "Usar la aplicación para la asistencia todos los días esta semana.",
                "Invitar a las familias a la aplicación.",
            ),
            (
                "Usar la aplicación de asistencia todos los días por una semana",
                "Invitar a las familias a la aplicación de mensajes",
                "Preparar los pagos de cuotas por internet",
            ),
            (
                "Enviar el video guía de la aplicación",
                "Preguntar en la biblioteca por clases de computación gratis",
            ),
        ),
        EMPLOYER: TopicText(
            (
                "Quiere contratar una asistente y pasar a hogar grupal. Repasamos lo que implica "
                "ser empleadora: nómina, impuestos y seguro de compensación laboral.",
                "Hablamos de la verificación de antecedentes y la capacitación que necesita una "
                "asistente antes de trabajar con los niños.",
                "Repasamos cómo pagarle a su hija como sustituta: qué registros guardar y cómo "
                "afecta sus impuestos.",
            ),
            "Le envié el enlace a la guía del estado para empleadores nuevos.",
            (
                "Escribir una descripción corta del puesto de asistente.",
                "Pedir precio a un servicio de nómina.",
            ),
            (
                "Escribir la descripción del puesto de asistente",
                "Pedir precio a un servicio de nómina",
                "Empezar la verificación de antecedentes de la sustituta",
            ),
            (
                "Enviar la lista de pasos para empleadores nuevos",
                "Averiguar qué capacitaciones necesita una asistente",
            ),
        ),
        FAMILIES: TopicText(
            (
                "Hablamos de una conversación difícil con un padre que recoge tarde, y "
                "practicamos qué decirle.",
                "Hicimos un reporte diario sencillo para las familias: comidas, siestas, pañales "
                "y algo que aprendió el niño.",
                "Planeamos una noche de familias a fin de mes para mostrar fotos de los trabajos "
                "de los niños.",
            ),
            "Le envié un mensaje modelo para recordar los pagos a las familias.",
            (
                "Probar el reporte diario con dos familias.",
                "Hablar esta semana con la familia sobre el horario de recogida.",
            ),
            (
                "Probar el reporte diario con dos familias",
                "Hablar con la familia sobre la hora de recogida",
                "Enviar las invitaciones para la noche de familias",
            ),
            (
                "Enviar la plantilla del reporte diario",
                "Traducir al inglés la carta para los padres",
            ),
        ),
        GROWTH: TopicText(
            (
                "Hicimos su plan de capacitación del año: la renovación de RCP, el curso de "
                "medicamentos y dos talleres de negocios.",
                "Hablamos de la credencial CDA: las horas de capacitación, el portafolio y la "
                "observación.",
                "Actualizamos su perfil en el registro profesional de la primera infancia con "
                "las capacitaciones que terminó.",
            ),
            "Le envié las fechas de las próximas capacitaciones del calendario de la red.",
            (
                "Inscribirse en la clase de renovación de RCP.",
                "Añadir al registro las capacitaciones terminadas.",
            ),
            (
                "Inscribirse en la clase de renovación de RCP",
                "Añadir al registro las capacitaciones terminadas",
                "Empezar el portafolio del CDA con las dos primeras secciones",
            ),
            (
                "Enviar las fechas de la sesión informativa del CDA",
                "Revisar sus horas de capacitación de este año",
            ),
        ),
    },
}
# For a topic the managed list has since added or renamed.
GENERAL_TEXT = {
    "en": TopicText(
        (
            "We checked in on how the business is going and what she wants to work on next.",
            "We went over her questions from last time and made a plan for the coming weeks.",
        ),
        "Checked in by message; she will call when she has a moment.",
        ("Call the coach with any questions.",),
        ("Write down questions for the next visit",),
        ("Send the resources we talked about",),
    ),
    "es": TopicText(
        (
            "Hablamos de cómo va el negocio y en qué quiere trabajar ahora.",
            "Repasamos sus preguntas de la última vez e hicimos un plan para las próximas "
            "semanas.",
        ),
        "Le escribí para saber cómo está; llamará cuando tenga un momento.",
        ("Llamar a la coach si tiene preguntas.",),
        ("Anotar sus preguntas para la próxima visita",),
        ("Enviar los recursos de los que hablamos",),
    ),
}
INTERNAL_NOTES = {
    "en": [
        "She seemed tired; the baby is not sleeping well. Keep the next visit short.",
        "Her husband is not sure about the business. Invite them both to the next orientation.",
        "The landlord has not answered about the letter. If nothing in two weeks, refer her to "
        "the housing advocate.",
        "Money is tight this month. Mention the emergency fund at the family resource center.",
        "Prefers phone calls to email; call rather than write.",
        "Worried about the background check for her adult son. Explain the process without "
        "promising a result.",
        "Good progress and very motivated. Could mentor a new provider later on.",
        "Missed the last two appointments. Try a text in the evening.",
        "Asked us not to call before 3 pm while the children nap.",
        "A family has not paid for two months. Follow up on the contract and payment policy.",
        "Very organized; her records are in good shape.",
        "Unsure whether to go on; check in again in a month.",
    ],
    "es": [
        "Se veía cansada; el bebé no duerme bien. La próxima visita, más corta.",
        "El esposo tiene dudas sobre el negocio. Invitarlos a los dos a la próxima orientación.",
        "El dueño no ha contestado sobre la carta. Si no contesta en dos semanas, referirla a "
        "la consejera de vivienda.",
        "Está justa de dinero este mes. Mencionar el fondo de emergencia del centro de "
        "recursos familiares.",
        "Prefiere llamadas o WhatsApp; casi no lee el correo.",
        "Le preocupa la verificación de antecedentes de su hijo mayor. Explicar el proceso sin "
        "prometer el resultado.",
        "Buen progreso y muy motivada. Más adelante podría ser mentora de una proveedora nueva.",
        "Faltó a las dos últimas citas. Probar con un mensaje por la tarde.",
        "Pidió que no la llamemos antes de las 3 mientras los niños duermen la siesta.",
        "Una familia no le paga hace dos meses. Repasar el contrato y la política de pagos.",
        "Muy organizada; sus registros están al día.",
        "No está segura de seguir; volver a llamarla en un mes.",
    ],
}
DONE_COMMENTS = {
    ("en", ItemOwner.PROVIDER): [
        "Done.",
        "Done; the signed copy is in the binder.",
        "Finished and sent a photo of it.",
        "Done. It took two tries but it went through.",
        "Done with help from my daughter.",
        "Done before the inspection.",
    ],
    ("en", ItemOwner.COACH): [
        "Sent by email.",
        "Dropped it off at the home visit.",
        "Called OEC: the application is in review.",
        "Done; she has a copy.",
    ],
    ("es", ItemOwner.PROVIDER): [
        "Listo.",
        "Hecho; la copia firmada está en la carpeta.",
        "Terminado; le mandé una foto.",
        "Listo. Costó dos intentos pero se pudo.",
        "Hecho con ayuda de mi hija.",
        "Hecho antes de la inspección.",
    ],
    ("es", ItemOwner.COACH): [
        "Enviado por correo.",
        "Se lo dejé en la visita al hogar.",
        "Llamé a OEC: la solicitud está en revisión.",
        "Hecho; ya tiene una copia.",
    ],
}
DROPPED_COMMENTS = {
    "en": [
        "No longer needed.",
        "She decided to wait until next year.",
        "Replaced by a new plan.",
        "The family left the program.",
    ],
    "es": [
        "Ya no hace falta.",
        "Decidió esperar hasta el próximo año.",
        "Cambiamos el plan.",
        "La familia se fue del programa.",
    ],
}
# fmt: on


@dataclass(frozen=True)
class GoalText:
    description: str
    progress: tuple[str, ...]  # in the order they happen
    reached: str
    before_license: bool = False


GOALS = {
    "en": [
        GoalText(
            "Get the family child care license",
            (
                "All the documents for the application are ready.",
                "Application and fee sent to OEC.",
                "Background checks cleared; waiting for the inspection.",
            ),
            "License received!",
            before_license=True,
        ),
        GoalText(
            "Open with the home ready for the inspection",
            (
                "Gate, outlet covers and smoke detectors installed.",
                "First aid kit and emergency plan ready.",
            ),
            "Passed the pre-license visit with no corrections.",
            before_license=True,
        ),
        GoalText(
            "Enroll six children",
            (
                "Two families toured the home.",
                "The first family signed the contract.",
                "Four children enrolled; two spots left.",
            ),
            "All six spots are full, with a waiting list.",
        ),
        GoalText(
            "Save three months of expenses for emergencies",
            (
                "Opened a savings account for the business.",
                "One month of expenses saved.",
                "Two months saved; on track.",
            ),
            "Three months of expenses saved.",
        ),
        GoalText(
            "Join the CACFP food program",
            (
                "Called the sponsor; forms sent.",
                "Sponsor visit done; menus approved.",
            ),
            "First monthly reimbursement received.",
        ),
        GoalText(
            "Earn the CDA credential",
            (
                "60 of the 120 training hours done.",
                "Portfolio half done.",
                "All 120 hours done; observation booked.",
            ),
            "CDA credential awarded.",
        ),
        GoalText(
            "Keep records for taxes all year",
            (
                "Receipts sorted by month since January.",
                "Time-space percentage worked out.",
                "Mileage log kept for three months.",
            ),
            "Taxes filed on time with every record.",
        ),
        GoalText(
            "Raise rates to cover costs",
            (
                "Compared rates with five programs nearby.",
                "Letter about the new rates written for families.",
                "Families told two months ahead.",
            ),
            "New rates in place; every family stayed.",
        ),
    ],
    "es": [
        GoalText(
            "Obtener la licencia de cuidado infantil familiar",
            (
                "Todos los documentos de la solicitud están listos.",
                "Solicitud y pago enviados a OEC.",
                "Antecedentes aprobados; esperando la inspección.",
            ),
            "¡Licencia recibida!",
            before_license=True,
        ),
        GoalText(
            "Tener la casa lista para la inspección",
            (
                "Reja, tapas de enchufes y detectores de humo instalados.",
                "Botiquín y plan de emergencia listos.",
            ),
            "Pasó la visita antes de la licencia sin correcciones.",
            before_license=True,
        ),
        GoalText(
            "Inscribir seis niños",
            (
                "Dos familias visitaron la casa.",
                "La primera familia firmó el contrato.",
                "Cuatro niños inscritos; quedan dos cupos.",
            ),
            "Los seis cupos están llenos y hay lista de espera.",
        ),
        GoalText(
            "Ahorrar tres meses de gastos para emergencias",
            (
                "Abrió una cuenta de ahorros para el negocio.",
                "Un mes de gastos ahorrado.",
                "Dos meses ahorrados; va bien.",
            ),
            "Tres meses de gastos ahorrados.",
        ),
        GoalText(
            "Entrar al programa de alimentos CACFP",
            (
                "Llamó al patrocinador; formularios enviados.",
                "Visita del patrocinador hecha; menús aprobados.",
            ),
            "Recibió el primer reembolso mensual.",
        ),
        GoalText(
            "Obtener la credencial CDA",
            (
                "60 de las 120 horas de capacitación hechas.",
                "Portafolio a la mitad.",
                "Las 120 horas hechas; observación programada.",
            ),
            "Credencial CDA otorgada.",
        ),
        GoalText(
            "Llevar los registros para los impuestos todo el año",
            (
                "Recibos ordenados por mes desde enero.",
                "Porcentaje de tiempo y espacio calculado.",
                "Registro de millaje al día por tres meses.",
            ),
            "Impuestos presentados a tiempo con todos los registros.",
        ),
        GoalText(
            "Subir las tarifas para cubrir los gastos",
            (
                "Comparó tarifas con cinco programas cercanos.",
                "Carta de las nuevas tarifas escrita para las familias.",
                "Avisó a las familias con dos meses de anticipación.",
            ),
            "Nuevas tarifas en vigor; todas las familias se quedaron.",
        ),
    ],
}

# The topics a coach takes up with a provider at each stage, and how often.
PROSPECT_TOPICS = {LICENSING: 5, START_UP: 5, SUBSIDIES: 2, INSURANCE: 1, GROWTH: 1}
APPLYING_TOPICS = {
    LICENSING: 6,
    START_UP: 3,
    INSURANCE: 3,
    CONTRACTS: 2,
    BUDGET: 2,
    SUBSIDIES: 2,
    GROWTH: 2,
}
RUNNING_TOPICS = {
    MARKETING: 4,
    BUDGET: 4,
    RECORDS: 4,
    SUBSIDIES: 4,
    CONTRACTS: 3,
    FAMILIES: 3,
    TECHNOLOGY: 2,
    GROWTH: 3,
    LICENSING: 2,
    INSURANCE: 1,
    EMPLOYER: 1,
}
STAGE_TOPICS = {
    "inquiry": PROSPECT_TOPICS,
    "orientation": PROSPECT_TOPICS,
    "preparing_application": APPLYING_TOPICS,
    "application_submitted": APPLYING_TOPICS,
    "awaiting_inspection": APPLYING_TOPICS,
    "licensed": RUNNING_TOPICS,
    "active_member": RUNNING_TOPICS,
}
BEFORE_LICENSE = set(OPEN_STAGES[:LICENSED])
# How much coaching a record at each stage gets, per day on the record.
STAGE_COACHING = {
    "inquiry": 0.5,
    "orientation": 1.0,
    "preparing_application": 1.6,
    "application_submitted": 1.3,
    "awaiting_inspection": 1.2,
    "licensed": 1.5,
    "active_member": 1.0,
    "paused": 0.6,
    "withdrawn": 0.5,
    "not_eligible": 0.3,
}
GOAL_SHARE = {"inquiry": 0.1, "orientation": 0.3}  # other stages: DEFAULT_GOAL_SHARE
DEFAULT_GOAL_SHARE = 0.6
MODES = {
    ContactMode.HOME_VISIT: 25,
    ContactMode.PHONE: 35,
    ContactMode.TEXT: 14,
    ContactMode.VIDEO: 8,
    ContactMode.OFFICE: 10,
    ContactMode.EMAIL: 8,
}
MINUTES = {  # (fewest, most), in steps of 5
    ContactMode.HOME_VISIT: (45, 120),
    ContactMode.PHONE: (10, 45),
    ContactMode.TEXT: (5, 15),
    ContactMode.VIDEO: (30, 75),
    ContactMode.OFFICE: (30, 90),
    ContactMode.EMAIL: (5, 20),
}
MESSAGES = {ContactMode.TEXT, ContactMode.EMAIL}
INTAKE_MODES = {ContactMode.PHONE: 6, ContactMode.OFFICE: 3, ContactMode.EMAIL: 1}
TOPICS_PER_CONTACT = {1: 50, 2: 35, 3: 15}
ACTIONS_PER_CONTACT = {0: 58, 1: 34, 2: 8}  # half an action item per contact


def deck(weights: Mapping) -> list:
    """Each key as many times as its weight: a fair draw is then one pick (this runs
    hundreds of thousands of times at scale, where random.choices is the slow part)."""
    return [key for key, weight in weights.items() for _ in range(weight)]


# --- Plans -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProviderFacts:
    """What a coaching history is drawn from (one row per provider record)."""

    id: int
    first_contact_on: date
    created_at: datetime
    last_day: date  # today, or the day the record closed
    stage_key: str
    closed: bool
    coach_id: int | None
    user_id: int | None
    language: str  # "en" or "es"

    @property
    def days(self) -> int:
        return (self.last_day - self.first_contact_on).days + 1


@dataclass
class ActionPlan:
    description: str
    owner: ItemOwner
    due_on: date | None
    status: ActionStatus = ActionStatus.OPEN
    closed_on: date | None = None
    closing_comment: str | None = None
    closed_by_id: int | None = None
    closed_at: datetime | None = None


@dataclass
class ContactPlan:
    contacted_on: date
    created_at: datetime
    author_id: int | None
    mode: ContactMode
    minutes: int
    topic_ids: list[int]
    summary: str
    internal_notes: str
    next_steps: str
    actions: list[ActionPlan] = field(default_factory=list)


@dataclass
class ProgressPlan:
    noted_on: date
    note: str
    created_at: datetime


@dataclass
class GoalPlan:
    description: str
    created_at: datetime
    author_id: int | None
    target_on: date
    status: GoalStatus
    progress: list[ProgressPlan]


@dataclass
class CoachingPlan:
    contacts: list[ContactPlan]
    goals: list[GoalPlan]


@dataclass
class CoachingCounts:
    contacts: int = 0
    contact_topics: int = 0
    action_items: int = 0
    goals: int = 0
    goal_progress: int = 0


def load_provider_facts(
    provider_ids: Sequence[int] | None = None, *, today: date | None = None
) -> list[ProviderFacts]:
    """Every (or the given) provider record that is not deleted, in id order."""
    query = (
        select(
            Provider.id,
            Provider.first_contact_on,
            Provider.created_at,
            Provider.stage_entered_at,
            Provider.coach_id,
            Provider.user_id,
            Provider.preferred_language,
            Stage.key,
            Stage.is_closed,
        )
        .join(Stage, Provider.stage_id == Stage.id)
        .where(Provider.deleted_at.is_(None))
        .order_by(Provider.id)
    )
    if provider_ids is not None:
        query = query.where(Provider.id.in_(list(provider_ids)))
    today = today or local_today()
    facts = []
    for row in db.session.execute(query):
        last_day = local_date(row.stage_entered_at) if row.is_closed else today
        facts.append(
            ProviderFacts(
                id=row.id,
                first_contact_on=row.first_contact_on,
                created_at=row.created_at,
                last_day=min(max(last_day, row.first_contact_on), today),
                stage_key=row.key,
                closed=row.is_closed,
                coach_id=row.coach_id,
                user_id=row.user_id,
                language="es" if row.preferred_language == "es" else "en",
            )
        )
    return facts


class CoachingPlanner:
    """Invents coaching histories; one seeded generator, so the same data gives the same
    plans."""

    def __init__(self, *, seed: int, author_ids: Sequence[int], today: date | None = None):
        self.rng = seeded(seed + 23)
        self.today = today or local_today()
        self.zone = network_zone()
        self.now = utcnow()
        self.author_ids = list(author_ids)
        self.topics: dict[str, int] = {}  # English name -> id, active topics in list order
        for topic in db.session.scalars(
            select(CoachingTopic).where(CoachingTopic.active).order_by(CoachingTopic.position)
        ):
            self.topics[topic.name_en] = topic.id
        self.text_of = {
            topic_id: name for name, topic_id in self.topics.items() if name in TOPIC_TEXT["en"]
        }
        self.topic_decks = {}  # stage key -> topic ids, each as often as its weight
        for stage_key, weights in [*STAGE_TOPICS.items(), (None, APPLYING_TOPICS)]:
            topic_deck = deck({self.topics[n]: w for n, w in weights.items() if n in self.topics})
            self.topic_decks[stage_key] = topic_deck or list(self.topics.values())
        self.modes, self.intake_modes = deck(MODES), deck(INTAKE_MODES)
        self.topic_counts, self.action_counts = deck(TOPICS_PER_CONTACT), deck(ACTIONS_PER_CONTACT)
        self.utc_offsets: dict[date, timedelta] = {}

    # --- helpers -----------------------------------------------------------------------

    # below() and pick() stand in for randrange() and choice(): they run millions of
    # times at scale, and random() is several times faster than their getrandbits().
    def below(self, n: int) -> int:
        """0 to n - 1."""
        return int(self.rng.random() * n)

    def pick(self, items: Sequence):
        return items[int(self.rng.random() * len(items))]

    def moment(self, day: date, *, not_before: datetime | None = None) -> datetime:
        """A working-hours moment of a local day (after `not_before`), in UTC, never in
        the future."""
        offset = self.utc_offsets.get(day)
        if offset is None:  # the day's offset at noon, well clear of a clock change
            offset = self.zone.utcoffset(datetime.combine(day, time(12)))
            self.utc_offsets[day] = offset
        minutes = 8 * 60 + 30 + self.below(9 * 60 + 30)
        moment = datetime.combine(day, time(), UTC) + timedelta(minutes=minutes) - offset
        moment = min(moment, self.now - timedelta(minutes=2 + self.below(28)))
        if not_before is not None:  # after it, even close to now
            moment = max(moment, min(not_before + timedelta(minutes=5 + self.below(85)), self.now))
        return moment

    def between(self, start: date, end: date) -> date:
        end = max(start, min(end, self.today))
        return start + timedelta(days=self.below((end - start).days + 1))

    def weight(self, facts: ProviderFacts) -> float:
        """The provider's share of the coaching: days on the record at the stage's pace."""
        return facts.days * STAGE_COACHING.get(facts.stage_key, 1.0) * self.rng.uniform(0.6, 1.4)

    def text(self, language: str, topic_id: int | None) -> TopicText:
        """A seeded topic's text, the intake's (no topic), or general text for a topic the
        list has gained since."""
        name = INTAKE if topic_id is None else self.text_of.get(topic_id)
        return TOPIC_TEXT[language].get(name, GENERAL_TEXT[language])

    def author(self, facts: ProviderFacts) -> int | None:
        """The provider's coach, now and then a colleague covering."""
        others = self.author_ids
        if facts.coach_id is not None and (not others or self.rng.random() < 0.88):
            return facts.coach_id
        return self.pick(others) if others else facts.coach_id

    def pick_topics(self, facts: ProviderFacts) -> list[int]:
        """One to three different topics, the stage's usual ones more often."""
        topic_deck = self.topic_decks.get(facts.stage_key, self.topic_decks[None])
        if not topic_deck:
            return []
        wanted = min(len(set(topic_deck)), self.pick(self.topic_counts))
        chosen: list[int] = []
        while len(chosen) < wanted:
            topic_id = self.pick(topic_deck)
            if topic_id not in chosen:
                chosen.append(topic_id)
        return chosen

    # --- one provider ------------------------------------------------------------------

    def plan(self, facts: ProviderFacts, contacts: int, *, featured: bool = False) -> CoachingPlan:
        """`contacts` contacts from the first contact on (no more than the record has
        days), their action items, and maybe goals. `featured`: a demo sign-in's record, with a
        recent visit, open items and a goal, whatever the draw."""
        rng = self.rng
        count = max(1, min(contacts, facts.days))
        days = sorted(
            [facts.first_contact_on]
            + [self.between(facts.first_contact_on, facts.last_day) for _ in range(count - 1)]
        )
        plans = [self.contact(facts, day, intake=index == 0) for index, day in enumerate(days)]
        for plan in plans:
            plan.actions = [self.action(facts, plan) for _ in range(self.pick(self.action_counts))]
        goals = []
        share = GOAL_SHARE.get(facts.stage_key, DEFAULT_GOAL_SHARE)
        if featured or (facts.days >= 30 and rng.random() < share):
            for _ in range(1 if rng.random() < 0.75 else 2):
                goals.append(self.goal(facts, self.pick(plans)))
        coaching = CoachingPlan(plans, goals)
        if featured:
            self.feature(facts, coaching)
        return coaching

    def contact(self, facts: ProviderFacts, day: date, *, intake: bool) -> ContactPlan:
        rng = self.rng
        language = facts.language
        if intake:
            mode = self.pick(self.intake_modes)
            topic_ids = [self.topics[n] for n in (LICENSING, START_UP) if n in self.topics]
            texts = [self.text(language, None)]
        else:
            mode = self.pick(self.modes)
            topic_ids = self.pick_topics(facts)
            texts = [self.text(language, topic_id) for topic_id in topic_ids] or [
                GENERAL_TEXT[language]
            ]
        low, high = MINUTES[mode]
        if mode in MESSAGES:
            summary = texts[0].message
        else:
            summary = " ".join(self.pick(text.summaries) for text in texts[:2])
        # Coaches often log a visit the next day.
        logged_on = min(day + timedelta(days=int(rng.random() < 0.25)), self.today)
        return ContactPlan(
            contacted_on=day,
            created_at=self.moment(logged_on, not_before=facts.created_at),
            author_id=self.author(facts),
            mode=mode,
            minutes=low + 5 * self.below((high - low) // 5 + 1),
            topic_ids=topic_ids,
            summary=summary,
            internal_notes=self.pick(INTERNAL_NOTES[language]) if rng.random() < 0.55 else "",
            next_steps=self.pick(texts[0].next_steps) if rng.random() < 0.75 else "",
        )

    def action(self, facts: ProviderFacts, contact: ContactPlan) -> ActionPlan:
        rng = self.rng
        text = self.text(facts.language, self.pick(contact.topic_ids or [None]))
        owner = ItemOwner.PROVIDER if rng.random() < 0.75 else ItemOwner.COACH
        descriptions = text.provider_actions if owner is ItemOwner.PROVIDER else text.coach_actions
        due_on = None
        if rng.random() < 0.8:
            due_on = contact.contacted_on + timedelta(days=7 + self.below(39))
        item = ActionPlan(self.pick(descriptions), owner, due_on)
        age = (facts.last_day - contact.contacted_on).days
        open_chance = 0.0 if facts.closed else 0.75 if age < 30 else 0.3 if age < 120 else 0.08
        if rng.random() >= open_chance:
            self.close(facts, contact, item, done=rng.random() < (0.55 if facts.closed else 0.82))
        return item

    def close(
        self, facts: ProviderFacts, contact: ContactPlan, item: ActionPlan, *, done: bool
    ) -> None:
        rng = self.rng
        language = facts.language
        latest = (item.due_on or contact.contacted_on + timedelta(days=30)) + timedelta(days=10)
        item.closed_on = self.between(contact.contacted_on, min(latest, facts.last_day))
        item.closed_at = self.moment(item.closed_on, not_before=contact.created_at)
        if done:
            item.status = ActionStatus.DONE
            item.closing_comment = self.pick(DONE_COMMENTS[(language, item.owner)])
        else:
            item.status = ActionStatus.DROPPED
            item.closing_comment = (
                self.pick(DROPPED_COMMENTS[language]) if rng.random() < 0.5 else None
            )
        by_provider = item.owner is ItemOwner.PROVIDER and facts.user_id and rng.random() < 0.7
        item.closed_by_id = facts.user_id if by_provider else contact.author_id

    def goal(self, facts: ProviderFacts, contact: ContactPlan) -> GoalPlan:
        rng = self.rng
        before_license = facts.stage_key in BEFORE_LICENSE
        choices = [g for g in GOALS[facts.language] if g.before_license == before_license]
        text = self.pick(choices)
        created_at = self.moment(contact.contacted_on, not_before=contact.created_at)
        started = created_at.astimezone(self.zone).date()
        notes = list(text.progress[: rng.randint(1, len(text.progress))])
        status = GoalStatus.ACTIVE
        if len(notes) == len(text.progress) and (facts.last_day - started).days > 60:
            if rng.random() < 0.6:
                status = GoalStatus.ACHIEVED
                notes.append(text.reached)
        elif (facts.closed and rng.random() < 0.5) or rng.random() < 0.06:
            status = GoalStatus.DROPPED
        last_day = max(facts.last_day, started)
        days = sorted(
            self.between(min(started + timedelta(days=7), last_day), last_day) for _ in notes
        )
        progress = []
        for day, note in zip(days, notes, strict=True):
            previous = progress[-1].created_at if progress else created_at
            progress.append(ProgressPlan(day, note, self.moment(day, not_before=previous)))
        return GoalPlan(
            description=text.description,
            created_at=created_at,
            author_id=contact.author_id,
            target_on=started + timedelta(days=rng.randrange(90, 366, 30)),
            status=status,
            progress=progress,
        )

    def feature(self, facts: ProviderFacts, coaching: CoachingPlan) -> None:
        """A demo sign-in's record: a home visit two days ago with a shared summary and
        open items (one the provider's), an overdue item from before, an active goal."""
        today = self.today
        language = facts.language
        visit_day = max(today - timedelta(days=2), facts.first_contact_on)
        earlier = [c for c in coaching.contacts[1:] if c.contacted_on < visit_day - timedelta(9)]
        visit = self.contact(facts, visit_day, intake=False)
        visit.mode, visit.minutes = ContactMode.HOME_VISIT, 75
        visit.author_id = facts.coach_id or visit.author_id
        visit.created_at = self.moment(visit_day, not_before=facts.created_at)
        if visit.topic_ids:
            visit.summary = " ".join(
                self.text(language, topic_id).summaries[0] for topic_id in visit.topic_ids[:2]
            )
        text = self.text(language, visit.topic_ids[0] if visit.topic_ids else None)
        visit.next_steps = text.next_steps[0]
        visit.actions = [
            ActionPlan(text.provider_actions[0], ItemOwner.PROVIDER, today + timedelta(days=10)),
            ActionPlan(text.coach_actions[0], ItemOwner.COACH, today + timedelta(days=5)),
        ]
        first, *rest = coaching.contacts
        coaching.contacts = [first, *(c for c in rest if c.contacted_on < visit_day), visit]
        # What was agreed long ago is settled: the sign-in shows a short, current list.
        for contact in coaching.contacts:
            if contact.contacted_on < today - timedelta(days=45):
                for item in contact.actions:
                    if item.status is ActionStatus.OPEN:
                        self.close(facts, contact, item, done=True)
        if earlier:
            before = earlier[-1]
            text = self.text(language, before.topic_ids[0] if before.topic_ids else None)
            due_on = max(before.contacted_on + timedelta(days=7), today - timedelta(days=6))
            if due_on < today:
                before.actions.append(
                    ActionPlan(text.provider_actions[1], ItemOwner.PROVIDER, due_on)
                )
        if not any(goal.status is GoalStatus.ACTIVE and goal.progress for goal in coaching.goals):
            anchor = earlier[0] if earlier else coaching.contacts[0]
            goal = self.goal(facts, anchor)
            goal.status = GoalStatus.ACTIVE
            goal.progress = goal.progress[:2]
            coaching.goals.append(goal)

    def share(
        self, facts: Sequence[ProviderFacts], per_provider: float, fixed: Mapping[int, int]
    ) -> list[int]:
        """How many contacts each provider gets: `per_provider` on average, shared by
        weight (the ones in `fixed` get that many instead)."""
        weights = [0.0 if f.id in fixed else self.weight(f) for f in facts]
        total = sum(weights) or 1.0
        wanted = per_provider * sum(1 for f in facts if f.id not in fixed)
        return [
            fixed[f.id] if f.id in fixed else int(wanted * weight / total + self.rng.random())
            for f, weight in zip(facts, weights, strict=True)
        ]


# --- The demo: through the services ------------------------------------------------------------


def seed_coaching_demo(
    providers: Sequence[Provider], *, featured: Sequence[Provider] = (), seed: int = SEED
) -> CoachingCounts:
    """Coaching histories for the demo providers, made through the coaching services (so
    the audit trail is what a coach's clicks would leave), then back-dated. `featured`
    (the demo sign-ins) get a recent visit, open action items and a goal. Flushes only."""
    return CoachingReplay(providers, featured=featured, seed=seed).run()


class CoachingReplay:
    """Plays each provider's plan through the services in the order it happened."""

    def __init__(self, providers: Sequence[Provider], *, featured: Sequence[Provider], seed: int):
        authors = sorted({p.coach_id for p in providers if p.coach_id is not None})
        self.planner = CoachingPlanner(seed=seed, author_ids=authors)
        self.providers = {p.id: p for p in providers}
        self.featured = {p.id for p in featured}
        self.topics = {t.id: t for t in db.session.scalars(select(CoachingTopic))}
        self.counts = CoachingCounts()
        self.made: dict[int, object] = {}  # id(a plan) -> the record made from it
        # The times the services stamped with the real clock, written at the end in one
        # statement per table: model -> record id -> column -> when it happened.
        self.stamps: dict[type, dict[int, dict[str, datetime]]] = defaultdict(dict)

    def run(self) -> CoachingCounts:
        # Imported here: fccnet.demo imports this module for seed_demo and seed_scale.
        from fccnet.demo import happened_at

        planner = self.planner
        facts = load_provider_facts(list(self.providers), today=planner.today)
        for provider_facts, wanted in zip(
            facts, planner.share(facts, CONTACTS_PER_PROVIDER, {}), strict=True
        ):
            provider = self.providers[provider_facts.id]
            plan = planner.plan(provider_facts, wanted, featured=provider.id in self.featured)
            for when, _order, step, *args in self.steps(plan):
                with happened_at(when):
                    step(provider, when, *args)
        self.backdate()
        return self.counts

    def steps(self, plan: CoachingPlan) -> list[tuple]:
        """(when, order, method, its arguments), sorted: the audit trail reads in order."""
        order = itertools.count()
        steps = []
        for contact in plan.contacts:
            steps.append((contact.created_at, next(order), self.contact, contact))
            for action in contact.actions:
                if action.closed_at is not None:
                    steps.append((action.closed_at, next(order), self.close, action))
        for goal in plan.goals:
            steps.append((goal.created_at, next(order), self.goal, goal))
            for note in goal.progress:
                steps.append((note.created_at, next(order), self.progress, goal, note))
        return sorted(steps, key=lambda step: step[:2])

    def user(self, user_id: int | None) -> User | None:
        return db.session.get(User, user_id) if user_id is not None else None

    def contact(self, provider: Provider, when: datetime, plan: ContactPlan) -> None:
        author = self.user(plan.author_id)
        contact = log_contact(
            provider,
            ContactInput(
                contacted_on=plan.contacted_on,
                minutes=plan.minutes,
                mode=plan.mode,
                summary=plan.summary,
                internal_notes=plan.internal_notes,
                next_steps=plan.next_steps,
                topics=[self.topics[topic_id] for topic_id in plan.topic_ids],
            ),
            actor=author,
            today=self.planner.today,
        )
        self.stamps[Contact][contact.id] = {"created_at": when, "updated_at": when}
        self.counts.contacts += 1
        self.counts.contact_topics += len(plan.topic_ids)
        for action in plan.actions:
            item = create_action_item(
                provider,
                ActionItemInput(action.description, action.owner, action.due_on),
                actor=author,
                contact=contact,
            )
            self.stamps[ActionItem][item.id] = {"created_at": when, "updated_at": when}
            self.made[id(action)] = item
            self.counts.action_items += 1

    def close(self, _provider: Provider, when: datetime, plan: ActionPlan) -> None:
        item = self.made[id(plan)]
        close_action_item(
            item,
            plan.status,
            actor=self.user(plan.closed_by_id),
            comment=plan.closing_comment,
            today=plan.closed_on,
        )
        self.stamps[ActionItem][item.id]["updated_at"] = when

    def goal(self, provider: Provider, when: datetime, plan: GoalPlan) -> None:
        goal = create_goal(
            provider, GoalInput(plan.description, plan.target_on), actor=self.user(plan.author_id)
        )
        self.stamps[Goal][goal.id] = {"created_at": when}
        self.made[id(plan)] = goal
        self.counts.goals += 1

    def progress(
        self, _provider: Provider, when: datetime, plan: GoalPlan, note: ProgressPlan
    ) -> None:
        goal = self.made[id(plan)]
        actor = self.user(plan.author_id)
        progress = add_goal_progress(goal, note.note, actor=actor, noted_on=note.noted_on)
        self.stamps[GoalProgress][progress.id] = {"created_at": when}
        self.counts.goal_progress += 1
        if note is plan.progress[-1] and plan.status is not GoalStatus.ACTIVE:
            update_goal(goal, GoalInput(goal.description, goal.target_on, plan.status), actor=actor)

    def backdate(self) -> None:
        """Plain UPDATEs (no version bump, no onupdate stamp), one per table."""
        db.session.flush()
        for model, rows in self.stamps.items():
            table = model.__table__
            columns = list(next(iter(rows.values())))
            db.session.execute(
                update(table)
                .where(table.c.id == bindparam("row_id"))
                .values({name: bindparam(f"new_{name}") for name in columns}),
                [
                    {"row_id": row_id, **{f"new_{name}": when for name, when in values.items()}}
                    for row_id, values in rows.items()
                ],
            )
        db.session.expire_all()


# --- The scale data: bulk inserts ---------------------------------------------------------------


def generate_coaching(
    *,
    seed: int = SEED,
    today: date | None = None,
    author_ids: Sequence[int] | None = None,
    contacts_per_provider: float = CONTACTS_PER_PROVIDER,
    contacts_for: Mapping[int, int] | None = None,
    featured: Sequence[int] = (),
    chunk_size: int = 2000,
) -> CoachingCounts:
    """Every provider record's coaching history, written with bulk inserts.

    About `contacts_per_provider` contacts per record (more for longer histories and
    busier stages; `contacts_for` gives some providers an exact number), about half as
    many action items, and goals for part of them. Colleagues covering are drawn from
    `author_ids` (default: every active coach, else every active manager). `featured`
    providers (the demo sign-ins) get a recent visit, open items and a goal. Flushes only;
    the caller commits.
    """
    if author_ids is None:
        author_ids = (
            active_coach_ids()
            or db.session.scalars(
                select(User.id)
                .where(User.role == Role.MANAGER, User.active.is_(True))
                .order_by(User.id)
            ).all()
        )
    planner = CoachingPlanner(seed=seed, author_ids=author_ids, today=today)
    facts = load_provider_facts(today=planner.today)
    wanted = planner.share(facts, contacts_per_provider, contacts_for or {})
    featured_ids = set(featured)
    counts = CoachingCounts()
    for start in range(0, len(facts), chunk_size):
        chunk = [
            (
                provider_facts,
                planner.plan(provider_facts, n, featured=provider_facts.id in featured_ids),
            )
            for provider_facts, n in zip(
                facts[start : start + chunk_size], wanted[start : start + chunk_size], strict=True
            )
        ]
        _insert_chunk(chunk, counts)
    resync_sequences_of(Contact, Goal)
    return counts


def _insert_chunk(chunk: list[tuple[ProviderFacts, CoachingPlan]], counts: CoachingCounts) -> None:
    contact_ids = iter(reserve_ids(Contact, sum(len(plan.contacts) for _f, plan in chunk)))
    goal_ids = iter(reserve_ids(Goal, sum(len(plan.goals) for _f, plan in chunk)))
    contacts, topics, items, goals, progress = [], [], [], [], []
    for provider_facts, plan in chunk:
        provider_id = provider_facts.id
        for contact in plan.contacts:
            contact_id = next(contact_ids)
            contacts.append(
                {
                    "id": contact_id,
                    "provider_id": provider_id,
                    "coach_id": contact.author_id,
                    "contacted_on": contact.contacted_on,
                    "minutes": contact.minutes,
                    "mode": contact.mode,
                    "summary": contact.summary,
                    "internal_notes": contact.internal_notes,
                    "next_steps": contact.next_steps,
                    "created_at": contact.created_at,
                    "updated_at": contact.created_at,
                    "version": 1,
                }
            )
            topics.extend({"contact_id": contact_id, "topic_id": t} for t in contact.topic_ids)
            for action in contact.actions:
                items.append(
                    {
                        "provider_id": provider_id,
                        "contact_id": contact_id,
                        "description": action.description,
                        "owner": action.owner,
                        "due_on": action.due_on,
                        "status": action.status,
                        "closed_on": action.closed_on,
                        "closing_comment": action.closing_comment,
                        "closed_by_id": action.closed_by_id,
                        "created_by_id": contact.author_id,
                        "created_at": contact.created_at,
                        "updated_at": action.closed_at or contact.created_at,
                        # Closing goes through the versioned update once.
                        "version": 1 if action.closed_at is None else 2,
                    }
                )
        for goal in plan.goals:
            goal_id = next(goal_ids)
            goals.append(
                {
                    "id": goal_id,
                    "provider_id": provider_id,
                    "description": goal.description,
                    "target_on": goal.target_on,
                    "status": goal.status,
                    "created_by_id": goal.author_id,
                    "created_at": goal.created_at,
                    "version": 1 if goal.status is GoalStatus.ACTIVE else 2,
                }
            )
            progress.extend(
                {
                    "goal_id": goal_id,
                    "noted_on": note.noted_on,
                    "note": note.note,
                    "author_id": goal.author_id,
                    "created_at": note.created_at,
                }
                for note in goal.progress
            )
    for table, rows in (
        (Contact.__table__, contacts),
        (contact_topics, topics),
        (ActionItem.__table__, items),
        (Goal.__table__, goals),
        (GoalProgress.__table__, progress),
    ):
        if rows:
            db.session.execute(insert(table), rows)
    counts.contacts += len(contacts)
    counts.contact_topics += len(topics)
    counts.action_items += len(items)
    counts.goals += len(goals)
    counts.goal_progress += len(progress)
